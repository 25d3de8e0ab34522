"""Column values in the archive: how each kind of column is written as JSON data and
read back as the target column takes it."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import types


def column_kind(column_type: types.TypeEngine) -> str:
    """How a column's values are written in the archive: datetime, date, time, json,
    binary, decimal, interval, uuid, or plain (strings, numbers, booleans)."""
    if isinstance(column_type, types.TypeDecorator):
        column_type = column_type.impl_instance
    for kind, cls in (("json", types.JSON), ("datetime", types.DateTime), ("date", types.Date),
                      ("time", types.Time), ("interval", types.Interval),
                      ("binary", types.LargeBinary), ("binary", types.BINARY),
                      ("binary", types.VARBINARY), ("uuid", types.Uuid)):
        if isinstance(column_type, cls):
            return kind
    if isinstance(column_type, types.Numeric) and not isinstance(column_type, types.Float):
        return "decimal"
    return "plain"


def encode(value, kind: str):
    """A column value as JSON data."""
    if value is None or kind in ("json", "plain"):
        return value
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "interval":
        return [value.days, value.seconds, value.microseconds]
    return str(value)  # decimal, uuid


def decode(value, kind: str, target: types.TypeEngine, dialect: str):
    """A value from the archive as the target column takes it. SQLite keeps datetimes
    without an offset, in UTC; PostgreSQL's ``timestamptz`` keeps the offset."""
    if value is None or kind in ("json", "plain"):
        return value
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        aware_target = dialect != "sqlite" and getattr(target, "timezone", False)
        if moment.tzinfo is None and aware_target:
            return moment.replace(tzinfo=UTC)
        if moment.tzinfo is not None and not aware_target:
            return moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "binary":
        return base64.b64decode(value)
    if kind == "interval":
        return timedelta(days=value[0], seconds=value[1], microseconds=value[2])
    if kind == "uuid":
        return uuid.UUID(value)
    return Decimal(value)
