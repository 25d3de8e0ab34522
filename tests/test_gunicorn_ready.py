"""gunicorn tells systemd it is ready only once it listens (issue #20, the deployment walk).

The README's unit is ``Type=notify``: ``systemctl start``/``restart`` then return when
gunicorn's master has sent ``READY=1`` on ``$NOTIFY_SOCKET``, so the ``curl .../health``
typed next connects. (With ``Type=simple`` it returned at once and that curl was refused:
seen on Debian 12.) Here a datagram socket stands in for systemd's."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_readme_unit_waits_for_gunicorn():
    unit = re.search(r"`/etc/systemd/system/glossary.service`.*?```ini\n(.*?)```", README,
                     re.S).group(1)
    assert re.search(r"^\s*Type=notify$", unit, re.M)


def test_gunicorn_says_ready_when_its_port_accepts(tmp_path):
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(60)
    port = _free_port()
    env = dict(os.environ, NOTIFY_SOCKET=str(tmp_path / "notify"),
               GLOSSARY_BIND=f"127.0.0.1:{port}", GLOSSARY_WORKERS="1",
               GLOSSARY_DATABASE_URL=f"sqlite:///{tmp_path / 'ready.db'}",
               GLOSSARY_EXPORTS_DIR=str(tmp_path / "exports"), SECRET_KEY="r" * 40)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with (tmp_path / "gunicorn.log").open("wb") as log:
        process = subprocess.Popen([str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py")],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        message = notify.recv(4096)
        assert b"READY=1" in message.split(b"\n")
        # The next command after systemctl restart: its connection is taken at once.
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        notify.close()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
