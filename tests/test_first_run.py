"""A shared instance's first run (issue 20.4-5): a secret pasted from the README is
refused in production, and the demo with its published password is not loaded there."""

from __future__ import annotations

import secrets

import pytest
from sqlmodel import select

from glossary import create_app
from glossary.config import placeholder_secret
from glossary.models import Person

README_LITERAL = "output-of: python3 -c 'import secrets; print(secrets.token_hex(32))'"


@pytest.mark.parametrize("key", [
    README_LITERAL,
    "output-of-python3-secrets-token-hex-0123456789abcdef",
    "please-change-me-please-change-me-please-change-me",
    "$(python3 -c 'import secrets; print(secrets.token_hex(32))')",
])
def test_production_refuses_a_secret_that_is_the_readme_instruction(database_url, tmp_path,
                                                                   key):
    assert len(key) >= 32  # long enough: only the placeholder check stops it
    with pytest.raises(RuntimeError, match="README"):
        create_app({"DATABASE_URL": database_url, "EXPORTS_DIR": str(tmp_path),
                    "PRODUCTION": True, "SECRET_KEY": key})


def test_a_generated_secret_is_accepted():
    for _ in range(50):
        assert not placeholder_secret(secrets.token_hex(32))
        assert not placeholder_secret(secrets.token_urlsafe(48))


@pytest.fixture
def production(app):
    """The commands run as in production, on the test database."""
    app.config["PRODUCTION"] = True


def test_the_demo_is_refused_in_production(production, cli, db):
    result = cli("demo")
    assert result.exit_code != 0
    assert "Refusing to load the demo in production" in result.output
    assert "glossary import data/terms" in result.output
    assert db.exec(select(Person)).all() == []


def test_the_demo_loads_in_production_when_asked_by_name(production, cli, db):
    result = cli("demo", "--i-know-this-is-a-demo")
    assert result.exit_code == 0, result.output
    assert db.exec(select(Person).where(Person.email == "admin@example.org")).first()
