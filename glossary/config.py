"""Configuration read from the environment, with safe defaults for a local install."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("GLOSSARY_INSTANCE", ROOT / "instance"))
DEFAULT_SECRET = "dev-only-change-me"


class Config:
    """Settings for the app; each can be set by an environment variable of the same name
    prefixed with GLOSSARY_ (SECRET_KEY also reads plain SECRET_KEY)."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or os.environ.get(
        "GLOSSARY_SECRET_KEY", DEFAULT_SECRET
    )
    DATABASE_URL = os.environ.get(
        "GLOSSARY_DATABASE_URL", f"sqlite:///{INSTANCE / 'glossary.db'}"
    )
    WORKING_LANGUAGE = os.environ.get("GLOSSARY_WORKING_LANGUAGE", "en")
    TRAINING_VALIDITY_MONTHS = int(os.environ.get("GLOSSARY_TRAINING_VALIDITY_MONTHS", "24"))
    EXPORTS_DIR = os.environ.get("GLOSSARY_EXPORTS_DIR", str(ROOT / "exports"))
    PAGE_SIZE = 25
    GAPS_STALE_MONTHS = int(os.environ.get("GLOSSARY_GAPS_STALE_MONTHS", "12"))
    GAPS_TRAINING_DUE_DAYS = int(os.environ.get("GLOSSARY_GAPS_TRAINING_DUE_DAYS", "60"))
    PRODUCTION = os.environ.get("GLOSSARY_PRODUCTION", "") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("GLOSSARY_SECURE_COOKIES", "") == "1"
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("GLOSSARY_SESSION_IDLE_HOURS", "12")) * 3600
    MAX_CONTENT_LENGTH = int(os.environ.get("GLOSSARY_MAX_UPLOAD_MB", "50")) * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "glossary" / "translations")
    WTF_CSRF_TIME_LIMIT = None
    UI_LOCALES = ("en", "de", "it", "fr", "ar")
    # Operations (issue 9): sign-in limits, absolute session age, trusted proxies.
    LOGIN_MAX_PER_ACCOUNT = int(os.environ.get("GLOSSARY_LOGIN_MAX_PER_ACCOUNT", "5"))
    LOGIN_MAX_PER_ADDRESS = int(os.environ.get("GLOSSARY_LOGIN_MAX_PER_ADDRESS", "20"))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("GLOSSARY_LOGIN_WINDOW_MINUTES", "15")) * 60
    SESSION_MAX_SECONDS = int(os.environ.get("GLOSSARY_SESSION_MAX_HOURS", "24")) * 3600
    PROXY_HOPS = int(os.environ.get("GLOSSARY_PROXY_HOPS", "0"))
    # Logs to stderr (issue 20.7): "text" (key=value) or "json" (one object per line).
    LOG_FORMAT = os.environ.get("GLOSSARY_LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("GLOSSARY_LOG_LEVEL", "INFO").upper()

# Fragments of the README's instructions and of made-up keys: a SECRET_KEY holding one was
# pasted, not generated (issue 20.4).
PLACEHOLDER_FRAGMENTS = ("output-of", "python3", "token_hex", "secrets.", "change-me",
                         "changeme", "replace-me", "your-secret", "dev-only")


def placeholder_secret(value: str) -> bool:
    """Whether ``value`` looks like an instruction or an example rather than a generated
    key: a fragment of one, or a space or a quote (a shell command pasted whole)."""
    lowered = value.lower()
    return (any(fragment in lowered for fragment in PLACEHOLDER_FRAGMENTS)
            or any(c.isspace() or c in "'\"`$" for c in value))
