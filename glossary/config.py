"""Configuration read from the environment, with safe defaults for a local install."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("GLOSSARY_INSTANCE", ROOT / "instance"))
# The development secret earlier versions fell back to. It is published, so anything
# signed with it is forgeable: the app refuses to start with it (glossary.create_app).
DEFAULT_SECRET = "dev-only-change-me"
SECRET_FILE = "secret_key"


def instance_secret(folder: Path) -> str:
    """The install's own secret key, kept in ``folder/secret_key`` (mode 0600): read it,
    or make a random one on first run. The file appears complete or not at all (written
    under another name, then linked into place), and a worker that loses the race to
    create it reads the winner's key, so every worker signs with the same key."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.exists():
        draft = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(8)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(draft, path)  # fails if another worker was first: keep theirs
            except FileExistsError:
                pass
        finally:
            draft.unlink(missing_ok=True)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable secret key: remove it to make a new one.")
    return key


class Config:
    """Settings for the app; each can be set by an environment variable of the same name
    prefixed with GLOSSARY_ (SECRET_KEY also reads plain SECRET_KEY)."""

    # Without one, create_app uses the instance folder's own key (instance_secret).
    SECRET_KEY = os.environ.get("SECRET_KEY") or os.environ.get("GLOSSARY_SECRET_KEY") or None
    INSTANCE_PATH = str(INSTANCE)
    DATABASE_URL = os.environ.get(
        "GLOSSARY_DATABASE_URL", f"sqlite:///{INSTANCE / 'glossary.db'}"
    )
    WORKING_LANGUAGE = os.environ.get("GLOSSARY_WORKING_LANGUAGE", "en")
    TRAINING_VALIDITY_MONTHS = int(os.environ.get("GLOSSARY_TRAINING_VALIDITY_MONTHS", "24"))
    EXPORTS_DIR = os.environ.get("GLOSSARY_EXPORTS_DIR", str(ROOT / "exports"))
    # Rows per page of the concept list and of the audit log.
    PAGE_SIZE = int(os.environ.get("GLOSSARY_PAGE_SIZE", "25"))
    AUDIT_PAGE_SIZE = int(os.environ.get("GLOSSARY_AUDIT_PAGE_SIZE", "50"))
    GAPS_STALE_MONTHS = int(os.environ.get("GLOSSARY_GAPS_STALE_MONTHS", "12"))
    GAPS_TRAINING_DUE_DAYS = int(os.environ.get("GLOSSARY_GAPS_TRAINING_DUE_DAYS", "60"))
    PRODUCTION = os.environ.get("GLOSSARY_PRODUCTION", "") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("GLOSSARY_SECURE_COOKIES", "") == "1"
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("GLOSSARY_SESSION_IDLE_HOURS", "12")) * 3600
    MAX_CONTENT_LENGTH = int(os.environ.get("GLOSSARY_MAX_UPLOAD_MB", "50")) * 1024 * 1024
    # Uploads (issue 13.6): DOCX/XLSX packages checked before parsing, CSV rows, and the
    # imports a person may leave waiting for confirmation (glossary.uploads).
    UPLOAD_MAX_UNPACKED_MB = int(os.environ.get("GLOSSARY_UPLOAD_MAX_UNPACKED_MB", "50"))
    UPLOAD_MAX_PARTS = int(os.environ.get("GLOSSARY_UPLOAD_MAX_PARTS", "1000"))
    UPLOAD_MAX_RATIO = int(os.environ.get("GLOSSARY_UPLOAD_MAX_RATIO", "100"))
    IMPORT_MAX_ROWS = int(os.environ.get("GLOSSARY_IMPORT_MAX_ROWS", "200000"))
    PENDING_UPLOADS = int(os.environ.get("GLOSSARY_PENDING_UPLOADS", "3"))
    PENDING_UPLOADS_MB = int(os.environ.get("GLOSSARY_PENDING_UPLOADS_MB", "100"))
    PENDING_UPLOAD_HOURS = int(os.environ.get("GLOSSARY_PENDING_UPLOAD_HOURS", "24"))
    # Recordings: the longest and largest a recording (or an uploaded audio file) may be,
    # and how long a session kit link stays valid unless revoked earlier.
    AUDIO_MAX_SECONDS = int(os.environ.get("GLOSSARY_AUDIO_MAX_SECONDS", "60"))
    AUDIO_MAX_MB = int(os.environ.get("GLOSSARY_AUDIO_MAX_MB", "10"))
    KIT_LINK_DAYS = int(os.environ.get("GLOSSARY_KIT_LINK_DAYS", "30"))
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
    # The API's calls a minute, per token and per address (issue 13.8).
    API_MAX_PER_MINUTE = int(os.environ.get("GLOSSARY_API_MAX_PER_MINUTE", "120"))
    API_MAX_PER_ADDRESS_PER_MINUTE = int(
        os.environ.get("GLOSSARY_API_MAX_PER_ADDRESS_PER_MINUTE", "300"))
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
