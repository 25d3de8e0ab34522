"""The search change log is pruned without moving the glossary version back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from glossary.change_log import prune_changes
from glossary.models import SearchChange
from glossary.versioned_cache import glossary_version

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def log_rows(db, *ages_in_hours):
    for hours in ages_in_hours:
        db.add(SearchChange(at=NOW - timedelta(hours=hours)))
    db.commit()
    return [row.id for row in db.exec(select(SearchChange).order_by(SearchChange.id))]


def test_old_rows_go_recent_ones_and_the_newest_stay(db):
    ids = log_rows(db, 72, 50, 30, 23, 1)
    version = glossary_version(db)
    assert prune_changes(db, now=NOW) == 3
    assert db.exec(select(SearchChange.id).order_by(SearchChange.id)).all() == ids[3:]
    assert glossary_version(db) == version
    assert prune_changes(db, now=NOW) == 0


def test_the_newest_row_stays_however_old_and_ids_keep_growing(db, make_concept):
    ids = log_rows(db, 100, 90, 80)
    version = glossary_version(db)
    assert prune_changes(db, now=NOW) == 2
    assert db.exec(select(SearchChange.id)).all() == [ids[-1]]
    assert glossary_version(db) == version
    make_concept("consent")  # a change: the version moves on, never back
    assert glossary_version(db)[0] > ids[-1]


def test_an_empty_log_is_left_alone(db):
    assert prune_changes(db, now=NOW) == 0


def test_a_new_worker_prunes_the_log_while_it_warms_up(app, db):
    import gc

    from glossary.warmup import warm

    old = datetime.now(UTC) - timedelta(days=3)
    for _ in range(3):
        db.add(SearchChange(at=old))
    db.commit()
    newest = db.exec(select(SearchChange.id).order_by(SearchChange.id.desc())).first()
    try:
        warm(app)
    finally:
        gc.unfreeze()
    db.expire_all()
    assert db.exec(select(SearchChange.id)).all() == [newest]
