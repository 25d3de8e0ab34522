"""Copy a backup archive with one row changed, for checking that ``glossary backup
--verify`` refuses it: ``tamper.py ARCHIVE COPY``."""

import sys
import zipfile

source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
    for item in old.infolist():
        data = old.read(item.filename)
        if item.filename == "tables/concept.jsonl":
            data = data.replace(b"anger", b"angry", 1)
        new.writestr(item, data)
