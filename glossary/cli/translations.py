"""The ``translations`` group: extract, update, start and compile the interface's message
catalogs with Babel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from ..config import ROOT
from . import main

TRANSLATIONS = ROOT / "glossary" / "translations"
POT = TRANSLATIONS / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True,
                   cwd=ROOT)


@main.group()
def translations() -> None:
    """Extract, update and compile the interface's message catalogs."""


@translations.command("extract")
def translations_extract() -> None:
    """Collect every marked string into messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "-o", str(POT), ".")


@translations.command("update")
def translations_update() -> None:
    """Merge messages.pot into every language's catalog."""
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching")


@translations.command("init")
@click.argument("locale")
def translations_init(locale: str) -> None:
    """Start a catalog for a new interface language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", locale)


@translations.command("compile")
def translations_compile() -> None:
    """Compile every catalog (.po) into the binary form the app reads (.mo)."""
    if any(Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.po")):
        _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
