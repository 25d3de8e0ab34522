"""A restore recomputes every agreement's state from its signatures, versions and
disputes: an archive whose stored states disagree is refused with a report and nothing
written, or, with ``repair``, restored with the computed states and the same report."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY
from sqlmodel import Session, select
from test_backup import app_for, contents, new_database, source  # noqa: F401

from glossary.backup import create_backup, filled_tables, restore_backup
from glossary.cli import main
from glossary.config import Config
from glossary.db import make_engine
from glossary.demo import load_demo
from glossary.errors import InputError
from glossary.migrate import upgrade
from glossary.models import Agreement, AuditEvent, Concept, Signature
from glossary.models.flyers import FlyerTranslation


def forge(archive: Path, forged: Path, states: dict[str, str]) -> None:
    """Copy ``archive`` with the Arabic agreements of the named concepts (key -> state)
    stored as ``state``, the manifest's checksums made to match, as a careful forger
    would."""
    with zipfile.ZipFile(archive) as original:
        concepts = {json.loads(line)["id"]: json.loads(line)["key"]
                    for line in original.read("tables/concept.jsonl").splitlines()}

    def change(row):
        key = concepts[row["concept_id"]]
        if key in states and row["target_language"] == "ar":
            row["state"] = states[key]

    forge_rows(archive, forged, "agreement", change)


def forge_rows(archive: Path, forged: Path, table: str, change) -> None:
    """Copy ``archive`` with ``change(row)`` applied to every row of ``table``."""
    with zipfile.ZipFile(archive) as original, \
            zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as target:
        manifest = json.loads(original.read("manifest.json"))
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == f"tables/{table}.jsonl":
                rows = [json.loads(line) for line in data.splitlines()]
                for row in rows:
                    change(row)
                data = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n"
                                for r in rows)
                entry = next(t for t in manifest["tables"] if t["name"] == table)
                entry["sha256"] = hashlib.sha256(data).hexdigest()
            if info.filename != "manifest.json":
                target.writestr(info.filename, data)
        target.writestr("manifest.json", json.dumps(manifest))


def ar_state(engine, key: str) -> str:
    with Session(engine) as session:
        return session.exec(select(Agreement.state).join(Concept).where(
            Concept.key == key, Agreement.target_language == "ar")).one()


FORGED = {"restraining-order": "agreed", "custody": "agreed"}


@pytest.fixture
def forged(source, tmp_path):  # noqa: F811
    _app, engine, _ids = source
    archive, forged = tmp_path / "backup.zip", tmp_path / "forged.zip"
    create_backup(engine, archive)
    forge(archive, forged, FORGED)
    with Session(engine) as session:  # the forged agreements have no matching signatures
        assert not session.exec(select(Signature).join(Agreement).join(Concept).where(
            Concept.key == "restraining-order")).first()
    return forged


def test_an_archive_with_forged_states_is_refused_with_a_report(forged, tmp_path):
    with new_database(tmp_path, "target") as url:
        target = make_engine(url)
        with pytest.raises(InputError) as refused:
            restore_backup(target, forged)
        message = str(refused.value)
        assert "2 agreements" in message and "--repair" in message
        report = {(m.key, m.pair): (m.stored, m.computed) for m in refused.value.report}
        assert report == {("restraining-order", "en → ar"): ("agreed", "proposed"),
                          ("custody", "en → ar"): ("agreed", "disputed")}
        assert "restraining-order (en → ar): stored agreed, computed proposed" in message
        with target.connect() as connection:
            assert filled_tables(connection) == []  # nothing written
        target.dispose()


def test_repair_restores_the_computed_states_and_reports_them(source, forged,  # noqa: F811
                                                              tmp_path):
    _app, engine, _ids = source
    with new_database(tmp_path, "target") as url:
        target = make_engine(url)
        summary = restore_backup(target, forged, repair=True)
        assert {(m.key, m.stored, m.computed) for m in summary["repaired"]} == {
            ("restraining-order", "agreed", "proposed"), ("custody", "agreed", "disputed")}
        assert ar_state(target, "restraining-order") == "proposed"
        assert ar_state(target, "custody") == "disputed"
        assert ar_state(target, "consent") == "agreed"  # a true state is kept
        with Session(target) as session:  # the correction is in the audit log
            events = session.exec(select(AuditEvent).where(
                AuditEvent.action == "agreement_state", AuditEvent.person_id.is_(None))).all()
            assert {"state": "proposed"} in [e.after for e in events]
        original, restored = contents(engine), contents(target)
        assert original["signature"] == restored["signature"]
        target.dispose()


def test_a_true_archive_restores_with_nothing_to_repair(source, tmp_path):  # noqa: F811
    _app, engine, _ids = source
    archive = tmp_path / "backup.zip"
    create_backup(engine, archive)
    with new_database(tmp_path, "target") as url:
        target = make_engine(url)
        assert restore_backup(target, archive)["repaired"] == []
        assert contents(target) == contents(engine)
        target.dispose()


def test_the_command_refuses_then_repairs(source, forged, tmp_path, monkeypatch):  # noqa: F811
    app, _engine, _ids = source
    monkeypatch.setattr(Config, "EXPORTS_DIR", app.config["EXPORTS_DIR"])
    runner = CliRunner()
    with new_database(tmp_path, "cli") as url:
        monkeypatch.setattr(Config, "DATABASE_URL", url)
        refused = runner.invoke(main, ["restore", str(forged)])
        assert refused.exit_code != 0
        assert "custody (en → ar): stored agreed, computed disputed" in refused.output
        repaired = runner.invoke(main, ["restore", str(forged), "--repair"])
        assert repaired.exit_code == 0, repaired.output
        assert "custody (en → ar): stored agreed, computed disputed" in repaired.output
        target = make_engine(url)
        assert ar_state(target, "custody") == "disputed"
        target.dispose()


def test_flyer_translations_are_checked_too(tmp_path):
    """The demo's Pashto flyer translation is unsigned and incomplete; stored as agreed
    it is refused, and repaired to what its signatures give."""
    with new_database(tmp_path, "demo") as url:
        app = app_for(url, tmp_path)
        engine = app.extensions["glossary_engine"]
        upgrade(engine)
        with app.app_context(), Session(engine) as session:
            load_demo(session, today=TODAY)
            session.commit()
        archive, forged = tmp_path / "demo.zip", tmp_path / "forged.zip"
        create_backup(engine, archive)
        engine.dispose()

    def change(row):
        if row["target_language"] == "ps":
            row["state"] = "agreed"

    forge_rows(archive, forged, "flyertranslation", change)
    with new_database(tmp_path, "target") as url:
        target = make_engine(url)
        with pytest.raises(InputError, match=r"Demo flyer \(en → ps\): stored agreed, "
                                             r"computed open"):
            restore_backup(target, forged)
        with target.connect() as connection:
            assert filled_tables(connection) == []
        assert [m.entity for m in restore_backup(target, forged, repair=True)["repaired"]] \
            == ["flyer_translation"]
        with Session(target) as session:
            states = dict(session.exec(select(FlyerTranslation.target_language,
                                              FlyerTranslation.state)).all())
        assert states == {"ar": "agreed", "uk": "agreed", "ps": "open"}
        target.dispose()
