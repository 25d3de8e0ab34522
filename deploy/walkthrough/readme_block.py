"""Print one block of the README's deployment section, as tests/test_deployment_files.py
reads it: a systemd unit by its file name (``glossary.service``), the nginx site
(``nginx``) or the cron line (``cron``). The README is the copy next to this script
in the walk (host.sh puts the checked-out README there).

    python3 readme_block.py glossary-backup.timer
"""

import re
import sys
from pathlib import Path

README = (Path(__file__).resolve().parent / "README.md").read_text(encoding="utf-8")


def dedent(block: str) -> str:
    return "\n".join(line.removeprefix("   ") for line in block.splitlines()) + "\n"


def block(name: str) -> str:
    if name == "nginx":
        return dedent(re.search(r"```nginx\n(.*?)```", README, re.S).group(1))
    if name == "cron":
        return re.search(r"^0 2 \* \* \* glossary .+$", README, re.M).group(0) + "\n"
    units = re.findall(r"`/etc/systemd/system/([\w.-]+)`[^`]*?```ini\n(.*?)```", README, re.S)
    return dedent(dict(units)[name])


if __name__ == "__main__":
    sys.stdout.write(block(sys.argv[1]))
