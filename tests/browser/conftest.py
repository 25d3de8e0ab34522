"""Browser tests: a real server on a free port with its own SQLite database and the demo
data, driven by Playwright in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DEMO_PASSWORD = "demo-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a running app with the demo loaded (SQLite in a temporary folder,
    whatever database the rest of the suite uses)."""
    folder = tmp_path_factory.mktemp("browser")
    env = dict(os.environ, GLOSSARY_DATABASE_URL=f"sqlite:///{folder / 'app.db'}",
               GLOSSARY_EXPORTS_DIR=str(folder / "exports"), PYTHONWARNINGS="ignore")
    cli = [sys.executable, "-m", "glossary.cli"]
    subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError((folder / "server.log").read_text())
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    log.close()


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright, started once for the session (a second sync instance cannot run
    beside the first): every browser of the tests is launched from it."""
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Headless Debian Chromium through Playwright."""
    instance = playwright_driver.chromium.launch(executable_path=chromium_path(),
                                                 headless=True, args=BROWSER_ARGS)
    yield instance
    instance.close()


def page_opener(browser, server, contexts: list):
    """``open_page(email, width=..., locale=..., bypass_csp=...)``: a page in a new context
    of ``browser``, signed in as ``email`` (None: not signed in); each context is added to
    ``contexts`` for the caller to close."""

    def open_page(email: str | None, *, width: int = 1280, locale: str = "en-GB",
                  bypass_csp: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale,
                                      bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto(f"{server}/login")
            page.fill("#email", email)
            page.fill("#password", DEMO_PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(f"{server}/concepts")
        return page

    return open_page


@pytest.fixture
def new_page(browser, server):
    """Open a signed-in page: ``new_page("anna@example.org", width=360)``."""
    contexts: list = []
    yield page_opener(browser, server, contexts)
    for context in contexts:
        context.close()


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot into test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
