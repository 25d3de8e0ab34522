"""Backups that keep running night after night (issue 20.3): the folder is made, the
archives are private, old ones are rotated, and an archive can be test-restored."""

from __future__ import annotations

import stat
import zipfile

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from test_backup import app_for, fill, new_database

from glossary.backup import create_backup
from glossary.backup.verify import content_hash, verify_backup
from glossary.backup.write import prune_backups
from glossary.cli import main
from glossary.config import Config
from glossary.migrate import upgrade


@pytest.fixture
def source(tmp_path, monkeypatch):
    """A filled database that the commands use."""
    with new_database(tmp_path, "routine") as url:
        app = app_for(url, tmp_path)
        engine = app.extensions["glossary_engine"]
        upgrade(engine)
        fill(app)
        monkeypatch.setattr(Config, "DATABASE_URL", url)
        monkeypatch.setattr(Config, "EXPORTS_DIR", app.config["EXPORTS_DIR"])
        yield engine
        engine.dispose()


def test_a_missing_folder_with_a_slash_is_made_and_used_night_after_night(source, tmp_path):
    runner = CliRunner()
    folder = tmp_path / "backups" / "glossary"
    for name in ("glossary-20250101T020000Z.zip", "glossary-20250102T020000Z.zip"):
        first = runner.invoke(main, ["backup", f"{folder}/"])
        assert first.exit_code == 0, first.output
        # The next night's run is another second: rename tonight's to a past date.
        [made] = [p for p in folder.iterdir() if not p.name.startswith("glossary-2025")]
        made.rename(folder / name)
    assert folder.is_dir()
    third = runner.invoke(main, ["backup", f"{folder}/"])
    assert third.exit_code == 0, third.output
    assert len(list(folder.glob("glossary-*.zip"))) == 3


def test_archives_are_readable_by_their_owner_only(source, tmp_path):
    archive = tmp_path / "one.zip"
    result = CliRunner().invoke(main, ["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    direct = tmp_path / "two.zip"
    create_backup(source, direct)
    assert stat.S_IMODE(direct.stat().st_mode) == 0o600


def test_keep_leaves_the_newest_archives_and_other_files(source, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    old = [folder / f"glossary-2025010{day}T020000Z.zip" for day in range(1, 6)]
    for path in old:
        path.write_bytes(b"old")
    others = [folder / "notes.txt", folder / "glossary-move.zip"]
    for path in others:
        path.write_text("keep me")
    result = CliRunner().invoke(main, ["backup", str(folder), "--keep", "3"])
    assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in folder.glob("glossary-2*.zip"))
    assert len(kept) == 3
    assert kept[:2] == [old[3].name, old[4].name]  # the two newest old ones, then tonight's
    assert all(p.exists() for p in others)
    assert f"Removed old backup: {old[0]}" in result.output
    with pytest.raises(ValueError):
        prune_backups(folder, keep=0)


def test_verify_restores_into_a_scratch_database_and_reports(source, tmp_path):
    archive = tmp_path / "good.zip"
    create_backup(source, archive)
    report = verify_backup(archive)
    assert report.ok
    names = {check.name for check in report.tables}
    assert {"person", "concept", "term", "agreement", "signature"} <= names
    assert all(c.expected_rows == c.restored_rows for c in report.tables)
    result = CliRunner().invoke(main, ["backup", "--verify", str(archive)])
    assert result.exit_code == 0, result.output
    assert "every count and content hash matches" in result.output
    assert "MISMATCH" not in result.output


def test_verify_reports_a_table_that_did_not_come_back_whole(source, tmp_path,
                                                             monkeypatch):
    """A restore that loses a change (here: a name altered after loading, standing in
    for a lossy restore) is reported per table, and the command exits non-zero."""
    import glossary.backup.verify as verify_module

    archive = tmp_path / "good.zip"
    create_backup(source, archive)
    restore = verify_module.restore_backup

    def lossy_restore(engine, path, **options):
        summary = restore(engine, path, **options)
        with engine.begin() as connection:
            connection.execute(text("UPDATE person SET name = 'Someone else' WHERE id = "
                                    "(SELECT MIN(id) FROM person)"))
        return summary

    monkeypatch.setattr(verify_module, "restore_backup", lossy_restore)
    report = verify_backup(archive)
    assert not report.ok
    assert [c.name for c in report.tables if not c.ok] == ["person"]
    result = CliRunner().invoke(main, ["backup", "--verify", str(archive)])
    assert result.exit_code == 1
    assert "MISMATCH" in result.output and "FAILED: 1 tables differ: person." in result.output


def test_verify_refuses_a_damaged_archive(source, tmp_path):
    archive = tmp_path / "good.zip"
    create_backup(source, archive)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(bad, "w") as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "tables/person.jsonl":
                data = data.replace(b"Anna", b"Anne")
            copy.writestr(item, data)
    result = CliRunner().invoke(main, ["backup", "--verify", str(bad)])
    assert result.exit_code != 0 and "damaged" in result.output


def test_the_content_hash_ignores_the_database_the_rows_came_from():
    columns = [{"name": "id", "kind": "plain"}, {"name": "at", "kind": "datetime"},
               {"name": "data", "kind": "json"}]
    postgres = [{"id": 2, "at": "2026-06-01T12:00:00+02:00", "data": {"b": 1, "a": 2}},
                {"id": 1, "at": None, "data": None}]
    sqlite = [{"id": 1, "at": None, "data": None},
              {"id": 2, "at": "2026-06-01T10:00:00", "data": {"a": 2, "b": 1}}]
    assert content_hash(postgres, columns) == content_hash(sqlite, columns)
    assert content_hash(postgres, columns)[0] == 2
    other = [{"id": 1, "at": None, "data": None},
             {"id": 2, "at": "2026-06-01T10:00:01", "data": {"a": 2, "b": 1}}]
    assert content_hash(other, columns) != content_hash(sqlite, columns)
