"""Passwords as NIST SP 800-63B asks (section 3.1.1.2): long rather than complicated
(at least 12 characters, counted after NFC normalisation, at most 256), no composition
rules, refused when on a bundled list of common passwords, when they are the person's
own e-mail address or name, or one character repeated. Checked wherever a password is
set: the admin pages, the profile, ``glossary user add``.

Checking a sign-in always costs one hash computation, whether or not the account exists
(:func:`verify`), so the time taken does not tell which e-mail addresses have accounts.
"""

from __future__ import annotations

import functools
import secrets
import unicodedata
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from .errors import InputError
from .i18n import _l

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"


def normalise(password: str) -> str:
    """The password as hashed and compared: NFC, so that the same characters typed on
    different systems (composed or decomposed accents) are the same password."""
    return unicodedata.normalize("NFC", password or "")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords, case-folded (read once)."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))


def check_password(password: str, *, email: str = "", name: str = "") -> str:
    """Return the password (NFC) when it may be used by the person with ``email`` and
    ``name``; else raise :class:`InputError` saying why."""
    text = normalise(password)
    if len(text) < MIN_LENGTH:
        raise InputError(_l("The password needs at least %(n)d characters.", n=MIN_LENGTH),
                         field="password")
    if len(text) > MAX_LENGTH:
        raise InputError(_l("The password can have at most %(n)d characters.", n=MAX_LENGTH),
                         field="password")
    if len(set(text)) == 1:
        raise InputError(_l("The password is one character repeated; a few words you will "
                            "remember make a better one."), field="password")
    folded = text.casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        raise InputError(_l("This password is on a list of common passwords that attackers "
                            "try first; choose another."), field="password")
    local = (email or "").split("@", 1)[0]
    personal = {value.casefold() for value in (email, local, name, (name or "").replace(" ", ""))
                if value}
    if folded in personal or folded.replace(" ", "") in personal:
        raise InputError(_l("The password must not be your e-mail address or your name."),
                         field="password")
    return text


def hash_password(password: str) -> str:
    """The stored form of a password that :func:`check_password` accepted."""
    return generate_password_hash(normalise(password))


@functools.cache
def _dummy_hash() -> str:
    # Same method and cost as real hashes, for a password nobody knows.
    return generate_password_hash(secrets.token_urlsafe(32))


def verify(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``. Without a hash (no such account,
    or one that may not sign in) a dummy hash is checked instead and False returned, so
    both cases take the same time."""
    matched = check_password_hash(stored_hash or _dummy_hash(), normalise(password))
    return matched and stored_hash is not None
