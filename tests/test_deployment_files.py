"""The README's deployment files, checked by the tools that will read them: the systemd
units by ``systemd-analyze verify``, the timer's calendar by ``systemd-analyze
calendar``, the cron line's shell by ``sh -n``, and the nginx server blocks by
``nginx -t`` where nginx is installed (CI has no nginx: that one is skipped there).

The units name /srv/glossary, which does not exist here: the only complaint allowed is
that its programs are missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
UNIT = re.compile(r"`/etc/systemd/system/([\w.-]+)`[^`]*?```ini\n(.*?)```", re.S)
MISSING_PROGRAM = re.compile(r"^[\w.-]+: Command /srv/glossary/\.venv/bin/\w+ is not "
                             r"executable: No such file or directory$")


def dedent(block: str) -> str:
    """A block as written inside a numbered list item (indented three spaces)."""
    return "\n".join(line.removeprefix("   ") for line in block.splitlines()) + "\n"


def readme_units() -> dict[str, str]:
    return {name: dedent(body) for name, body in UNIT.findall(README)}


def test_the_readme_gives_the_service_and_the_backup_timer():
    assert set(readme_units()) == {"glossary.service", "glossary-backup.service",
                                   "glossary-backup.timer"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_the_systemd_units_verify(tmp_path):
    paths = []
    for name, body in readme_units().items():
        (tmp_path / name).write_text(body)
        paths.append(f"./{name}")
    result = subprocess.run(["systemd-analyze", "verify", *paths], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.strip() and not MISSING_PROGRAM.match(line.strip())]
    assert complaints == []
    calendar = re.search(r"^OnCalendar=(.+)$", readme_units()["glossary-backup.timer"], re.M)
    assert subprocess.run(["systemd-analyze", "calendar", calendar.group(1)],
                          capture_output=True, timeout=60).returncode == 0


def test_a_unit_with_a_mistake_is_caught(tmp_path):
    """The check above can fail: a misspelt key and value are reported."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("no systemd-analyze")
    body = readme_units()["glossary.service"].replace("Restart=on-failure",
                                                      "Restart=on-faliure")
    (tmp_path / "glossary.service").write_text(body.replace("UMask=", "Umask="))
    result = subprocess.run(["systemd-analyze", "verify", "./glossary.service"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "on-faliure" in result.stderr and "Unknown key 'Umask'" in result.stderr


def test_the_cron_line_runs_as_the_service_user_and_parses():
    line = re.search(r"^0 2 \* \* \* glossary .+$", README, re.M).group(0)
    fields = line.split(" ", 6)
    assert fields[5] == "glossary"
    assert "%" not in line  # cron would cut the command at a percent sign
    for shell in ("sh", "bash"):
        assert subprocess.run([shell, "-n", "-c", fields[6]], timeout=60).returncode == 0


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
                    reason="nginx is not installed")
def test_the_nginx_server_blocks_parse(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    block = dedent(re.search(r"```nginx\n(.*?)```", README, re.S).group(1))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=glossary.example.org", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    block = block.replace("/etc/letsencrypt/live/glossary.example.org/fullchain.pem",
                          str(tmp_path / "cert.pem"))
    block = block.replace("/etc/letsencrypt/live/glossary.example.org/privkey.pem",
                          str(tmp_path / "key.pem"))
    temp = "\n".join(f"    {kind}_temp_path {tmp_path}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log {tmp_path}/access.log;\n{temp}\n{block}}}\n")
    result = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c",
                             str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
