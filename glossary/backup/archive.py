"""Reading an archive: its format, its manifest (checked against every table file's
checksum and row count) and the rows of a table."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..i18n import _l

FORMAT = "glossary-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


def read_manifest(source: Path | str, *, verify: bool = True) -> dict:
    """The manifest of an archive; with ``verify``, every table file is checked against
    its checksum and row count. Raises :class:`InputError` for anything else."""
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise InputError(_l("This file is not a glossary backup."))
            if manifest.get("format_version", 0) > FORMAT_VERSION:
                raise InputError(_l("This backup was made by a newer version of the app: "
                                    "upgrade the app first."))
            if verify:
                for table in manifest["tables"]:
                    digest, rows = hashlib.sha256(), 0
                    with archive.open(table["file"]) as raw:
                        for line in raw:
                            digest.update(line)
                            rows += 1
                    if digest.hexdigest() != table["sha256"] or rows != table["rows"]:
                        raise InputError(_l("The backup is damaged: table %(table)s does not "
                                            "match its checksum.", table=table["name"]))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, InputError):
            raise
        raise InputError(_l("This file cannot be read as a glossary backup (%(reason)s).",
                            reason=error.__class__.__name__)) from error
    return manifest


def _rows(archive: zipfile.ZipFile, entry: dict) -> Iterator[dict]:
    with archive.open(entry["file"]) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            yield json.loads(line)
