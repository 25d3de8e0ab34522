"""Two app servers against one PostgreSQL, behind a round-robin proxy: every journey
completes whichever server each request reaches (issue #20, item 9).

Each server is gunicorn with two workers (the repository's gunicorn.conf.py) on its own
port; the proxy (bench/tcpproxy.py) hands each new connection to the next server, and the
client opens one connection per request, so consecutive requests alternate. Where a step
must reach a given server, the client talks to that server directly. What must hold:
sign-in, sessions and their end, CSRF tokens, sign-in rate limits, the search index,
cached pages, import previews and exports are the same on both, because everything a
later request reads is in the database.

Runs on CI's PostgreSQL run, in a database of its own (``test_multi``, dropped after);
skipped on the SQLite run and when PostgreSQL cannot be reached.
"""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy.exc import OperationalError

from bench.ops_support import (
    PASSWORD,
    Client,
    Server,
    drop_database,
    post_file,
    request,
    scratch_database,
    seed,
)
from bench.tcpproxy import TcpProxy

pytestmark = pytest.mark.postgres

FINGERPRINT = re.compile(r'name="fingerprint" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DIGEST = re.compile(r'name="digest" value="([^"]*)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reachable(server: str) -> bool:
    from glossary.db import make_engine

    engine = make_engine(f"{server}/postgres")
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


class Cluster:
    """Two servers ``a`` and ``b`` and the round-robin ``proxy`` in front of them."""

    def __init__(self, a: Server, b: Server, proxy: TcpProxy, seeded):
        self.a, self.b, self.proxy, self.seeded = a, b, proxy, seeded
        self.base = f"http://127.0.0.1:{proxy.port}"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    server = os.environ.get("GLOSSARY_DATABASE_URL", "").rsplit("/", 1)[0]
    if not _reachable(server):
        pytest.skip(f"PostgreSQL at {server} cannot be reached")
    workdir: Path = tmp_path_factory.mktemp("two-servers")
    url = scratch_database("postgresql", workdir, "test_multi", server=server)
    servers: list[Server] = []
    proxy = None
    try:
        seeded = seed(url, concepts=20, readers=3, writers=1, mediators=1)
        # The per-address limit is lifted: every client here comes from 127.0.0.1.
        env = {"GLOSSARY_LOGIN_MAX_PER_ADDRESS": "1000"}
        for _ in range(2):
            servers.append(Server(url, _free_port(), workdir, workers=2,
                                  extra_env=env).start())
        proxy = TcpProxy([("127.0.0.1", s.port) for s in servers]).start()
        yield Cluster(servers[0], servers[1], proxy, seeded)
    finally:
        if proxy is not None:
            proxy.stop()
        for each in servers:
            each.stop()
        drop_database(url)


def at(client: Client, server: Server) -> Client:
    """Send the client's next requests to ``server`` (same cookie, same CSRF token)."""
    client.base = server.base
    return client


def signed_in_as(body: str, name: str) -> bool:
    return name in body and 'action="/logout"' in body


def test_sign_in_and_pages_alternate_between_the_servers(cluster):
    first = len(cluster.proxy.served)
    client = Client(cluster.base, cluster.seeded.readers[0])  # GET, POST /login, GET
    pages = ["/concepts", "/search?q=consent", "/profile", "/concepts", "/check", "/profile"]
    answers = [client.get(path) for path in pages]
    served = cluster.proxy.served[first:]
    # The form came from one server and was posted to the other: the CSRF token and
    # the new session hold on both.
    assert served[:3] == [served[0], 1 - served[0], served[0]]
    assert served == [(served[0] + n) % 2 for n in range(len(pages) + 3)]
    for (status, body), path in zip(answers, pages, strict=True):
        assert status == 200, path
        assert signed_in_as(body, "Reader00"), path


def test_logout_on_one_server_ends_the_session_on_the_other(cluster):
    client = at(Client(cluster.a.base, cluster.seeded.readers[1]), cluster.a)
    kept_cookie = client.cookie
    status, body = at(client, cluster.b).get("/profile")
    assert status == 200 and signed_in_as(body, "Reader01")
    at(client, cluster.a).get("/profile")  # a fresh CSRF token for the logout form
    status, _body = client.post("/logout", {})
    assert status == 302
    # The cookie from before the logout opens nothing on the other server.
    status, headers, _body = request(cluster.b.base, "GET", "/profile",
                                     headers={"Cookie": kept_cookie})
    assert status == 302 and "/login" in headers["Location"]


def test_sign_in_limits_count_attempts_on_both_servers(cluster):
    email = cluster.seeded.readers[2]
    _status, headers, form = request(cluster.base, "GET", "/login")
    anonymous = {"Cookie": headers["Set-Cookie"].split(";", 1)[0]}
    token = CSRF.search(form).group(1)
    first = len(cluster.proxy.served)
    statuses = [request(cluster.base, "POST", "/login", headers=anonymous, body={
        "email": email, "password": "wrong password", "csrf_token": token})[0]
        for _ in range(6)]
    # Five failed attempts are allowed for an account, wherever they landed (three on
    # each server); the sixth is refused, and then so is the right password.
    assert sorted(cluster.proxy.served[first:]) == [0, 0, 0, 1, 1, 1]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    for server in (cluster.a, cluster.b):
        status, _headers, body = request(server.base, "POST", "/login", headers=anonymous,
                                         body={"email": email, "password": PASSWORD,
                                               "csrf_token": token})
        assert status == 429 and "Too many sign-in attempts" in body


def test_an_edit_on_one_server_is_searched_and_exported_on_the_other(cluster):
    writer = cluster.seeded.writers[0]
    word = "الموافقةالمستنيرة"
    link = f'href="/concepts/{writer["concept"]}#lang-ar"'
    client = at(Client(cluster.b.base, writer["email"]), cluster.b)
    for _ in range(2):  # both of B's workers build their index before the edit
        status, page = client.get(f"/search?q={quote(word)}")
        assert status == 200 and link not in page
    status, form = at(client, cluster.a).get(f"/terms/{writer['term']}/edit")
    status, _body = client.post(f"/terms/{writer['term']}/edit", {
        "version": VERSION.search(form).group(1), "text": word, "status": "preferred",
        "register": "neutral", "back_translation": "informed consent"})
    assert status == 302
    at(client, cluster.b)
    for _ in range(4):  # whichever of B's workers answers
        status, page = client.get(f"/search?q={quote(word)}")
        assert status == 200 and link in page
    status, page = client.get(f"/concepts/{writer['concept']}")
    assert word in page
    status, csv = client.get("/imports/export?format=csv&languages=ar")
    assert status == 200 and word in csv


def test_signatures_made_on_one_server_show_on_the_other(cluster):
    writer = cluster.seeded.writers[0]
    concept = writer["concept"]
    facilitator = at(Client(cluster.a.base, writer["email"]), cluster.a)
    mediator = at(Client(cluster.b.base, "mediator00@example.org"), cluster.b)

    def sign(client: Client, role: str, read_on: Server, sign_on: Server) -> None:
        _status, page = at(client, read_on).get(f"/concepts/{concept}")
        status, body = at(client, sign_on).post(
            f"/concepts/{concept}/languages/ar/sign",
            {"role": role, "fingerprint": FINGERPRINT.search(page).group(1)}, htmx=True)
        assert status == 200 and "notice success" in body, body[:300]

    sign(facilitator, "facilitator", read_on=cluster.a, sign_on=cluster.b)
    _status, page = at(mediator, cluster.a).get(f"/concepts/{concept}")
    panel = page.split('id="lang-ar"', 1)[1]
    assert "Writer00" in panel and "Nobody has signed this wording yet." not in panel
    sign(mediator, "mediator", read_on=cluster.a, sign_on=cluster.b)
    for server in (cluster.a, cluster.b):
        _status, page = at(facilitator, server).get(f"/concepts/{concept}")
        assert "state-border-agreed" in page.split('id="lang-ar"', 1)[0].rsplit("<section", 1)[1]


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(cluster):
    client = at(Client(cluster.a.base, cluster.seeded.writers[0]["email"]), cluster.a)
    content = ("key,domain,definition,term,term:ar\n"
               "two-servers-import,legal,Imported across servers.,shelter order,"
               "أمر الإيواء\n").encode()
    client.get("/imports")
    status, headers, _body = post_file(client, "/imports", {"format": "csv", "domain": ""},
                                       "file", "terms.csv", content)
    assert status == 302
    preview = "/imports/" + headers["Location"].rstrip("/").rsplit("/", 1)[1]
    status, page = at(client, cluster.b).get(preview)
    assert status == 200 and "shelter order" in page
    status, _body = at(client, cluster.a).post(f"{preview}/confirm",
                                               {"digest": DIGEST.search(page).group(1)})
    assert status == 302
    status, csv = at(client, cluster.b).get("/imports/export?format=csv")
    assert "two-servers-import" in csv and "أمر الإيواء" in csv
    # The confirmed upload is gone on both servers.
    for server in (cluster.a, cluster.b):
        assert at(client, server).get(preview)[0] == 404


def test_a_language_added_on_one_server_is_checked_on_the_other(cluster):
    """The list of languages in use and the check's matchers are cached by each worker:
    a rendering in a new language, added on A, is checked on B."""
    writer = cluster.seeded.writers[0]
    word = "ڕەزامەندی"
    form = {"target_language": "ckb", "source_text": "Today we spoke of load concept 0.",
            "target_text": f"ئەمڕۆ باسی {word} کرا."}
    client = at(Client(cluster.b.base, writer["email"]), cluster.b)
    for _ in range(2):  # both of B's workers cache their languages and matchers
        client.get("/check")
        _status, page = client.post("/check", form)
        assert "Choose the language of the translation." in page
    at(client, cluster.a).get(f"/concepts/{writer['concept']}/terms/new?language=ckb")
    status, _body = client.post(f"/concepts/{writer['concept']}/terms/new", {
        "language": "ckb", "text": word, "status": "preferred", "register": "neutral"})
    assert status == 302
    at(client, cluster.b)
    for _ in range(4):  # whichever of B's workers answers
        client.get("/check")
        status, page = client.post("/check", form)
        assert status == 200 and '<option value="ckb"' in page
        assert "check-yes" in page and f'<span lang="ckb" dir="rtl">{word}</span>' in page
