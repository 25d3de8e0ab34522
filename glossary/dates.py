"""Dates on pages: one unambiguous format in the reader's language, through Babel/CLDR.

Every page shows a date with the month as a word ("5 Dec 2026", "5. Dez. 2026",
"5 ديسمبر 2026"), never as a number that reads differently in Europe and the US
("12/5/26"); a time, where one matters, follows in the locale's own order. Files (CSV,
TBX, JSON, backups) keep ISO 8601: that is for programs, this is for people."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton, format_time, get_datetime_format

# Year, abbreviated month name, day: each locale orders and punctuates them itself.
DATE_SKELETON = "yMMMd"


def date_text(value: date | datetime, locale) -> str:
    """``value`` as a date for a page in ``locale`` (a datetime shows its date)."""
    return format_skeleton(DATE_SKELETON, value, locale=locale)


def datetime_text(value: datetime, locale) -> str:
    """``value`` as date and hour:minute for a page, combined as ``locale`` combines them."""
    pattern = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return pattern.format(format_time(value, "short", locale=locale), date_text(value, locale))


class ShownDate:
    """A date that formats itself for whoever reads it: a domain module can put it in a
    lazily translated message (``_l("lapsed on %(date)s", date=ShownDate(d))``) without
    knowing the reader's language. Outside a request it is ISO 8601."""

    def __init__(self, value: date):
        self.value = value

    def __str__(self) -> str:
        from flask import has_request_context

        if not has_request_context():
            return self.value.isoformat()
        from flask_babel import get_locale

        return date_text(self.value, get_locale())


def init_app(app) -> None:
    """Make the templates' ``dateformat`` and ``datetimeformat`` filters use the one page
    format, whatever format a template asks for (``'short'`` gave "12/5/26")."""
    from flask_babel import get_locale, to_user_timezone

    def page_date(value, *_ignored):
        if isinstance(value, datetime):
            value = to_user_timezone(value)
        return date_text(value, get_locale())

    def page_datetime(value, *_ignored):
        return datetime_text(to_user_timezone(value), get_locale())

    app.jinja_env.filters["dateformat"] = page_date
    app.jinja_env.filters["datetimeformat"] = page_datetime
