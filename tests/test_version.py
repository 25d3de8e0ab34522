"""The running version and the schema it expects (issue 20.8): shown by the CLI, in
/health and to admins; while the database is behind the code, pages are read but
nothing is written."""

from __future__ import annotations

from contextlib import contextmanager
from importlib.metadata import version as package_version

import pytest
from click.testing import CliRunner
from sqlalchemy import text

import glossary.views.ops as ops
from glossary.cli import main
from glossary.migrate import chain
from glossary.version import app_version, git_commit

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def test_the_command_prints_the_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"glossary {app_version()}"
    assert app_version().startswith(package_version("glossary"))


@pytest.mark.parametrize("layout", ["branch", "packed", "detached", "worktree"])
def test_the_commit_is_read_from_the_checkout_without_git(tmp_path, layout):
    checkout, git_dir = tmp_path / "checkout", tmp_path / "checkout" / ".git"
    if layout == "worktree":
        common = tmp_path / "main.git"
        git_dir = common / "worktrees" / "ops"
        git_dir.mkdir(parents=True)
        checkout.mkdir()
        (checkout / ".git").write_text(f"gitdir: {git_dir}\n")
        (git_dir / "commondir").write_text("../..\n")
        (common / "refs" / "heads").mkdir(parents=True)
        (common / "refs" / "heads" / "ops").write_text(COMMIT + "\n")
        (git_dir / "HEAD").write_text("ref: refs/heads/ops\n")
    else:
        git_dir.mkdir(parents=True)
        if layout == "detached":
            (git_dir / "HEAD").write_text(COMMIT + "\n")
        else:
            (git_dir / "HEAD").write_text("ref: refs/heads/main\n")
        if layout == "branch":
            (git_dir / "refs" / "heads").mkdir(parents=True)
            (git_dir / "refs" / "heads" / "main").write_text(COMMIT + "\n")
        if layout == "packed":
            (git_dir / "packed-refs").write_text(
                f"# pack-refs with: peeled\n{'f' * 40} refs/heads/other\n"
                f"{COMMIT} refs/heads/main\n")
    assert git_commit(checkout) == COMMIT
    assert git_commit(tmp_path / "nowhere") is None


def test_health_gives_the_version(client):
    body = client.get("/health").get_json()
    assert body["version"] == app_version() and body["schema"] == "current"


def test_admins_see_the_version_in_the_footer(client, auth, make_person):
    make_person("root", "admin")
    make_person("anna", "facilitator")
    auth.login("root@example.org")
    assert f"Version {app_version()}" in client.get("/concepts").get_data(as_text=True)
    auth.login("anna@example.org")
    assert "app-version" not in client.get("/concepts").get_data(as_text=True)


@contextmanager
def schema_at(engine, revision: str):
    """The database records ``revision`` for the duration (the suite's database is
    shared: the real one is put back)."""
    with engine.begin() as connection:
        real = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("UPDATE alembic_version SET version_num = :r"),
                           {"r": revision})
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :r"),
                               {"r": real})


def test_while_the_schema_is_behind_pages_are_read_and_writes_refused(
        engine, client, make_person, monkeypatch):
    monkeypatch.setattr(ops, "_schema_current", False)
    make_person("anna", "facilitator")
    with schema_at(engine, chain()[-2]):
        health = client.get("/health")
        assert health.status_code == 503 and health.get_json()["schema"] == "behind"
        assert client.get("/login").status_code == 200
        refused = client.post("/login", data={"email": "anna@example.org",
                                              "password": "correct horse"})
        assert refused.status_code == 503
        assert "glossary init" in refused.get_data(as_text=True)
    # `glossary init` has run: writes are taken again, without a restart.
    signed_in = client.post("/login", data={"email": "anna@example.org",
                                            "password": "correct horse"})
    assert signed_in.status_code == 302


def test_health_says_when_the_database_is_ahead_of_the_code(engine, client):
    with schema_at(engine, "9999_from_a_newer_version"):
        health = client.get("/health")
        assert health.status_code == 503 and health.get_json()["schema"] == "ahead"
