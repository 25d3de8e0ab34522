"""Uploaded files: the limits they are held to, and imports waiting for confirmation.

An import is previewed before it is written; until it is confirmed or cancelled the file
waits in the database (:class:`~glossary.models.uploads.PendingUpload`), not on one app
server's disk, so that the preview and the confirmation may reach different servers.
A person may leave only a few files waiting, of a bounded total size; a file nobody
confirmed is removed after a day (:func:`prune_uploads`, run on every new upload and
callable from the command line).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from .errors import InputError, NotFound
from .i18n import _l
from .models import Person, utcnow
from .models.uploads import PendingUpload
from .transaction import transactional

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """What an uploaded file may hold (defaults as in :class:`glossary.config.Config`).

    ``unpacked_mb``, ``parts`` and ``ratio`` bound a DOCX or XLSX package before it is
    parsed (:mod:`glossary.zipfiles`); ``rows`` bounds the rows of an imported CSV or
    XLSX; ``pending``, ``pending_mb`` and ``hours`` are one person's imports waiting for
    confirmation: how many, their total size, and how long they are kept."""

    unpacked_mb: int = 50
    parts: int = 1000
    ratio: int = 100
    rows: int = 200_000
    pending: int = 3
    pending_mb: int = 100
    hours: int = 24

    @classmethod
    def from_config(cls, config: Mapping) -> UploadLimits:
        """The limits an app is configured with (missing settings keep the defaults)."""
        names = {"unpacked_mb": "UPLOAD_MAX_UNPACKED_MB", "parts": "UPLOAD_MAX_PARTS",
                 "ratio": "UPLOAD_MAX_RATIO", "rows": "IMPORT_MAX_ROWS",
                 "pending": "PENDING_UPLOADS", "pending_mb": "PENDING_UPLOADS_MB",
                 "hours": "PENDING_UPLOAD_HOURS"}
        return cls(**{field: int(config[name]) for field, name in names.items()
                      if config.get(name) is not None})


def too_many_rows(limit: int) -> InputError:
    """The refusal of a file with more than ``limit`` rows."""
    return InputError(_l("The file has more than %(rows)d rows, the most one import may "
                         "hold; split it into smaller files.", rows=limit))


@transactional
def prune_uploads(session: Session, *, now: datetime | None = None,
                  hours: int = UploadLimits.hours) -> int:
    """Delete every pending upload older than ``hours``; return how many."""
    limit = (now or utcnow()) - timedelta(hours=hours)
    return session.execute(delete(PendingUpload).where(PendingUpload.created_at < limit)
                           ).rowcount


@transactional
def store_upload(session: Session, *, person: Person, name: str, fmt: str,
                 domain: str | None, data: bytes, limits: UploadLimits) -> str:
    """Keep ``data`` until ``person`` confirms or cancels its import and return the
    token that names it (not the row: reading it after the commit would fetch the file
    again); expired uploads are pruned first. Raises :class:`InputError` naming the
    limit when the person already has ``limits.pending`` uploads waiting or they would
    exceed ``limits.pending_mb``."""
    prune_uploads(session, hours=limits.hours)
    count, total = session.execute(
        sa_select(func.count(PendingUpload.id), func.coalesce(func.sum(PendingUpload.size), 0))
        .where(PendingUpload.person_id == person.id)).one()
    if count >= limits.pending:
        raise InputError(_l("You already have %(count)d imports waiting for confirmation, "
                            "the most one person may have; confirm or cancel one first.",
                            count=limits.pending))
    if total + len(data) > limits.pending_mb * MB:
        raise InputError(_l("Your imports waiting for confirmation would take more than "
                            "%(mb)d MB, the most one person may have; confirm or cancel one "
                            "first.", mb=limits.pending_mb))
    token = secrets.token_urlsafe(24)
    session.add(PendingUpload(token=token, person_id=person.id, name=name[:200], fmt=fmt,
                              domain=domain, size=len(data), data=data))
    return token


def pending_upload(session: Session, *, token: str, person: Person,
                   hours: int = UploadLimits.hours) -> PendingUpload:
    """The person's pending upload named by ``token`` (an expired one, or another
    person's, is not found)."""
    upload = session.exec(select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.person_id == person.id,
        PendingUpload.created_at >= utcnow() - timedelta(hours=hours))).first()
    if upload is None:
        raise NotFound(_l("This import is no longer waiting: it was confirmed, cancelled "
                          "or expired."))
    return upload


def pending_uploads_of(session: Session, *, person: Person,
                       hours: int = UploadLimits.hours) -> list:
    """The person's waiting uploads not yet expired (token, name, size, created_at),
    newest first; the files themselves are not read."""
    return list(session.execute(
        sa_select(PendingUpload.token, PendingUpload.name, PendingUpload.size,
                  PendingUpload.created_at)
        .where(PendingUpload.person_id == person.id,
               PendingUpload.created_at >= utcnow() - timedelta(hours=hours))
        .order_by(PendingUpload.created_at.desc())).all())


@transactional
def discard_upload(session: Session, *, token: str, person: Person) -> bool:
    """Remove the person's pending upload ``token`` (confirmed or cancelled); True when
    there was one."""
    return bool(session.execute(delete(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.person_id == person.id)).rowcount)


@contextmanager
def upload_file(upload: PendingUpload) -> Iterator[Path]:
    """The upload's bytes as a temporary file for the readers, which read a file afresh
    for each pass; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="glossary-upload-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(upload.data)
        yield path


@transactional
def record_choices(session: Session, *, upload: PendingUpload, mapping: dict | None,
                   merges: dict | None) -> None:
    """Keep the column mapping and merge choices made on ``upload``'s preview, so that
    the next preview and the confirmation read the file the same way."""
    upload.mapping, upload.merges = mapping, merges or None
    session.add(upload)
