"""The hostile sweep: markup payloads in every free-text field (tests/hostile.py), then
every page each role can reach, opened in real Chromium with the Content-Security-Policy
switched off (so that escaping, not the CSP, is what is tested). No payload may become an
element or an attribute, no handler may run and no request may be made from one; each
payload must be shown as the text it is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlmodel import Session

from .conftest import ARTIFACTS, DEMO_PASSWORD, ROOT, free_port

sys.path.insert(0, str(ROOT / "tests"))
import hostile  # noqa: E402

ROLES = ["admin@example.org", "anna@example.org", "ben@example.org", "samir@example.org",
         "yonas@example.org", "oskar@example.org", "pwn@example.org"]
PASSWORDS = {"pwn@example.org": "a long hostile passphrase"}
SKIP = re.compile(r"/logout|/export|/download|/api/|/static/|\.(pdf|docx|xlsx|csv|tbx|json|png)"
                  r"(\?|$)|/kit/|/pack/\d+/", re.I)
PER_PATTERN = 2
PER_ROLE = 45

RECORDER = "window.__pwned = []; window.pwned = function () { window.__pwned.push(1); };"
FINDINGS = """() => ({
  elements: document.querySelectorAll('[data-pwn]').length,
  handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  javascript_links: document.querySelectorAll('a[href^="javascript:"]').length,
  inline_scripts: Array.from(document.scripts).filter(s => !s.src).length,
  calls: window.__pwned.length,
  shown: document.body.innerText.includes('data-pwn'),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
})"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A server on the demo data with every payload written, and what was seeded."""
    from glossary import create_app
    from glossary.db import get_engine

    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'app.db'}"
    env = dict(os.environ, GLOSSARY_DATABASE_URL=url, PYTHONWARNINGS="ignore",
               GLOSSARY_EXPORTS_DIR=str(folder / "exports"))
    cli = [sys.executable, "-m", "glossary.cli"]
    subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    app = create_app({"DATABASE_URL": url, "EXPORTS_DIR": str(folder / "exports")})
    with app.app_context():
        engine = get_engine()
        with Session(engine) as session:
            seeded = hostile.seed(session, today=date.today(), tmp=folder)
        engine.dispose()
    port = free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            import urllib.request

            urllib.request.urlopen(f"{base}/health", timeout=1)
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    yield base, seeded
    process.terminate()
    process.wait(timeout=10)
    log.close()


def pattern(path: str) -> str:
    """Pages of one kind: ids become N, so each kind is visited a few times only."""
    parts = urlsplit(path)
    keys = ",".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return re.sub(r"\d+", "N", parts.path) + "?" + keys


def payload_paths() -> list[str]:
    """Error pages with a payload in the path, the query and ``next=`` (404, 403, sign-in)."""
    path, query = quote(hostile.SHORT, safe=""), quote(hostile.FULL, safe="")
    return [f"/no-such-page/{path}?q={query}", f"/concepts/{path}",
            f"/admin/people?next={query}", f"/login?next=/concepts/{path}",
            f"/login?next={query}"]


def new_pages(seeded: dict) -> list[str]:
    """Pages of the recordings, the session kit and the import mapping, which show the
    payloads seeded into their fields (kit link label, mapping name, column headers)."""
    group = seeded["group_id"]
    return [f"/terms/{seeded['term_id']}/recording",
            f"/flyers/{seeded['flyer_id']}/translations/ar/recording/{seeded['flyer_field']}",
            f"/flyers/{seeded['flyer_id']}/translations/ar", f"/groups/{group}/kit",
            f"/kit/groups/{group}/ar/", f"/imports/{seeded['upload_token']}", "/imports",
            *payload_paths()]


def findings(page) -> dict:
    """What the page made of the payloads: every non-empty finding but ``shown``."""
    found = page.evaluate(FINDINGS)
    return {k: v for k, v in found.items() if k not in ("shown", "links") and v}


def sweep_role(browser, base: str, seeded: dict, email: str) -> dict:
    """Visit every page ``email`` can reach (a few of each kind) and return the findings."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORDS.get(email, DEMO_PASSWORD))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/concepts")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))

    start = ["/concepts", f"/concepts/{seeded['concept_id']}",
             f"/concepts/{seeded['concept_id']}/history", f"/groups/{seeded['group_id']}",
             f"/groups/{seeded['demo_group_id']}", f"/flyers/{seeded['flyer_id']}",
             "/search?q=pwn", "/profile", "/trainers/", "/admin/people", "/admin/audit",
             "/groups", "/flyers", *new_pages(seeded)]
    queue = list(start)
    seen_patterns: dict[str, int] = {}
    visited, problems, shown, showing = [], [], 0, []
    while queue and len(visited) < PER_ROLE:
        path = queue.pop(0)
        key = pattern(path)
        if path in visited or seen_patterns.get(key, 0) >= PER_PATTERN and path not in start:
            continue
        seen_patterns[key] = seen_patterns.get(key, 0) + 1
        response = page.goto(urljoin(base, path))
        page.wait_for_load_state("networkidle")
        visited.append(path)
        found = page.evaluate(FINDINGS)
        shown += found["shown"]
        if found["shown"]:
            showing.append(path)
        bad = {k: v for k, v in found.items() if k not in ("shown", "links") and v}
        if bad:
            problems.append((path, response.status if response else None, bad))
        for href in found["links"]:
            target = urlsplit(urljoin(base + path, href))
            if target.netloc != urlsplit(base).netloc or SKIP.search(target.path):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if local not in visited:
                queue.append(local)

    # An htmx fragment with user text: the live search under the header.
    page.goto(f"{base}/concepts")
    page.fill("#header-q", "pwn")
    page.wait_for_selector("#search-live :is(a, li, p)", timeout=5000)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(FINDINGS)
    bad = {k: v for k, v in found.items() if k not in ("shown", "links") and v}
    if bad:
        problems.append(("live search fragment", 200, bad))
    shown += found["shown"]
    visited.append("live search fragment")

    fired = [r for r in requests if "/pwned" in r or r.startswith(("POST", "PUT", "DELETE"))]
    context.close()
    return {"visited": visited, "problems": problems, "shown": shown, "fired": fired,
            "showing": showing}


def test_no_payload_becomes_markup_or_a_request(browser, hostile_server):
    base, seeded = hostile_server
    report = {}
    for email in ROLES:
        result = sweep_role(browser, base, seeded, email)
        report[email] = result
        assert result["problems"] == [], (email, result["problems"])
        assert result["fired"] == [], (email, result["fired"])
        # The payloads are there, shown as text (the sweep did reach them).
        assert result["shown"] >= 3, (email, result["visited"])
    # Today's fields reached the pages that show them: the explanation (concept page),
    # the mapping name and payload column headers (import preview), the kit link label,
    # the pack in the kit, the wording on the recording pages (error pages do not repeat
    # the path: they are only checked for markup above).
    expected = [page for page in new_pages(seeded)
                if page not in payload_paths() and page != "/imports"]
    missing = [page for page in expected if page not in report["anna@example.org"]["showing"]]
    assert missing == [], missing
    ARTIFACTS.mkdir(exist_ok=True)
    summary = {
        "payloads": len(hostile.PAYLOADS), "fields": len(seeded["fields"]),
        "pages": {email: len(r["visited"]) for email, r in report.items()},
        "page_views": sum(len(r["visited"]) for r in report.values()),
        "pages_showing_payloads": sum(r["shown"] for r in report.values()),
        "held": all(not r["problems"] and not r["fired"] for r in report.values()),
    }
    (ARTIFACTS / "hostile-sweep.json").write_text(json.dumps(summary, indent=1))


def test_signed_out_pages_show_payloads_as_text(browser, hostile_server):
    """Without a session: the kit link (its pack holds the payloads), the sign-in page with
    a payload in ``next=``, and pages that send the visitor to sign in with one."""
    base, seeded = hostile_server
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 740})
    context.add_init_script(RECORDER)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    shown = 0
    for path in [f"/kit/t/{seeded['kit_token']}/", *payload_paths(),
                 f"/groups/{seeded['group_id']}/kit?next={quote(hostile.FULL, safe='')}"]:
        page.goto(urljoin(base, path))
        page.wait_for_load_state("networkidle")
        assert findings(page) == {}, path
        shown += page.evaluate(FINDINGS)["shown"]
    context.close()
    # Only the pages asked for: none from a payload (their URLs carry payloads, quoted).
    made = [r for r in requests if "/pwned" in urlsplit(r.split(" ", 1)[1]).path]
    assert made + [r for r in requests if r.startswith("POST")] == []
    assert shown >= 1, "the kit link shows the pack's payloads"


def test_injected_htmx_elements_cannot_send_requests(new_page, server):
    """Defence in depth: were markup to slip into a page, htmx would not send its request,
    and nothing on the page hands it the CSRF token."""
    page = new_page("admin@example.org")
    page.goto(f"{server}/concepts")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    page.evaluate("""() => {
      const place = document.querySelector('main');
      place.insertAdjacentHTML('beforeend',
        '<span id="pwn1" hx-post="/pwned/1" hx-trigger="load">a</span>' +
        '<form id="pwn2" hx-post="/pwned/2" hx-trigger="load" ' +
        'hx-include="[name=csrf_token]"></form>' +
        '<span id="pwn3" data-hx-nonce="guess" hx-get="/pwned/3" hx-trigger="load">c</span>');
      htmx.process(place);
    }""")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert [r for r in requests if "/pwned" in r] == []
    # The app's own live search still works on the same page.
    page.fill("#header-q", "consent")
    page.wait_for_selector("#search-live a", timeout=5000)
    assert any("/search" in r for r in requests)
