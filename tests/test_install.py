"""What the install promises: SQLite needs no PostgreSQL driver, and a PostgreSQL URL
without it says how to add it."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from glossary.db import make_engine

PYPROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())


def test_psycopg_is_an_extra_and_sqlmodel_is_bounded():
    required = PYPROJECT["project"]["dependencies"]
    assert not any(d.startswith("psycopg") for d in required)
    assert any(d.startswith("psycopg") for d in PYPROJECT["project"]["optional-dependencies"]
               ["postgres"])
    assert any(d.startswith("sqlmodel") and "<" in d for d in required)


def test_a_postgresql_url_without_the_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(RuntimeError, match=r"\.\[postgres\]"):
        make_engine("postgresql://postgres@127.0.0.1:5432/nowhere")
    make_engine("sqlite://").dispose()
