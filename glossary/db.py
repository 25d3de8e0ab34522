"""The database engine and the per-request session.

SQLite (the default) runs in WAL mode with a busy timeout so that readers never wait
for a writer and writers queue instead of failing. PostgreSQL is chosen by setting
GLOSSARY_DATABASE_URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


@contextmanager
def sqlite_references_checked_at_end(connection: Connection) -> Iterator[None]:
    """SQLite's documented procedure for schema changes that copy a table (a migration,
    or one run inside a restore): SQLite refuses to drop the old copy while other rows
    refer to it, and foreign keys can be switched off only outside a transaction. So
    they are off from here (call it before ``BEGIN``) and on again afterwards; the
    caller checks every reference with :func:`broken_references` before committing."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def broken_references(connection: Connection) -> bool:
    """Whether any row of a SQLite database refers to a row that does not exist."""
    return connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL; SQLite gets WAL, foreign keys and a busy
    timeout on every connection, and its folder is created when missing."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        # The PostgreSQL driver is an extra, so that a SQLite install needs no C library.
        if exc.name != "psycopg":
            raise
        raise RuntimeError("PostgreSQL needs its driver: pip install -e '.[postgres]'") from exc


def refresh_statistics(engine: Engine) -> None:
    """On SQLite, gather the query planner's statistics (``ANALYZE``: 15 ms at 30,000
    terms). Without them SQLite guesses that any equality narrows a table down to a few
    rows, and reads, say, every English term through the language index to find those
    of one page's 25 concepts (1.6 ms instead of 0.08 ms at 13,000 concepts). A sample
    (``PRAGMA analysis_limit``) misled it the same way. PostgreSQL gathers its own
    (autovacuum)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def get_engine() -> Engine:
    """The engine of the current app."""
    return current_app.extensions["glossary_engine"]


def get_session() -> Session:
    """The database session of the current request, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc=None) -> None:
    """Close the request's session at teardown (rolling back anything uncommitted)."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app) -> None:
    """Bind the engine to the app and close sessions at the end of each request."""
    app.extensions["glossary_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)
