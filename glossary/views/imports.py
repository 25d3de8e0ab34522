"""Import (upload, dry-run preview, confirm), glossary export downloads, and the admin
page for API tokens.

An upload is checked (:func:`~glossary.importers.sources.check_upload`) and kept in the
database under a random token, for its uploader only (:mod:`glossary.uploads`), until it
is confirmed, cancelled or expired; the preview and the import each read it afresh, on
whichever app server they reach. The confirmation carries the digest of the previewed
plan, so what is written is exactly what was shown (or nothing, with a new preview, when
the glossary changed meanwhile).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import select

from ..api_tokens import issue_token, revoke_token
from ..db import get_session
from ..errors import NotFound, UserError
from ..exports import glossary_table, tbx
from ..importers.plan import FORMATS, Source, apply_import, build_plan, detect_format
from ..importers.sources import check_upload
from ..listing import ordered_domains
from ..models import Domain, Person
from ..models.api_tokens import ApiToken
from ..uploads import (
    UploadLimits,
    discard_upload,
    pending_upload,
    pending_uploads_of,
    store_upload,
    upload_file,
)
from .helpers import roles_required, working_language

bp = Blueprint("imports", __name__, url_prefix="/imports")
EXPORT_TYPES = {"tbx": ("application/x-tbx+xml", "tbx"), "csv": ("text/csv", "csv"),
                "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         "xlsx")}


def _limits() -> UploadLimits:
    return UploadLimits.from_config(current_app.config)


def _pending(token: str):
    """The uploader's pending import, or 404 (another person's token is unknown here)."""
    try:
        return pending_upload(get_session(), token=token, person=g.person,
                              hours=_limits().hours)
    except NotFound:
        abort(404)


def _source(upload, path: Path) -> Source:
    keys = get_session().exec(select(Domain.key)).all()
    return Source(path, working=working_language(), fmt=upload.fmt, name=upload.name,
                  domain_keys=keys, limits=_limits())


def _upload_page(error=None):
    db = get_session()
    return render_template("imports/upload.html", error=error, domains=ordered_domains(db),
                           formats=FORMATS,
                           waiting=pending_uploads_of(db, person=g.person, hours=_limits().hours)
                           ), (400 if error else 200)


@bp.route("", methods=["GET", "POST"])
@roles_required("facilitator", "admin")
def upload():
    """The upload form and the person's imports waiting for confirmation; a posted file
    is checked, stored and its dry-run preview shown."""
    if request.method != "POST":
        return _upload_page()
    chosen = request.files.get("file")
    fmt = request.form.get("format") or None
    if chosen is None or not chosen.filename:
        return _upload_page(_("Choose a file to import."))
    if fmt is not None and fmt not in FORMATS:
        return _upload_page(_("Choose TBX, CSV or XLSX."))
    data = chosen.read()
    fmt = fmt or detect_format(chosen.filename, data[:512])
    domain = request.form.get("domain") or None
    known = set(get_session().exec(select(Domain.key)))
    try:
        check_upload(io.BytesIO(data), fmt=fmt, limits=_limits())
        token = store_upload(get_session(), person=g.person,
                             name=Path(chosen.filename).name, fmt=fmt,
                             domain=domain if domain in known else None, data=data,
                             limits=_limits())
    except UserError as exc:
        return _upload_page(str(exc))
    return redirect(url_for("imports.preview", token=token))


@bp.get("/<token>")
@roles_required("facilitator", "admin")
def preview(token: str):
    """What the import would change; nothing is written until it is confirmed."""
    pending = _pending(token)
    meta = {"name": pending.name, "fmt": pending.fmt, "domain": pending.domain}
    db = get_session()
    try:
        with upload_file(pending) as path:
            source = _source(pending, path)
            plan = build_plan(db, entries=source, source=pending.name,
                              working=working_language(), person=g.person,
                              default_domain=pending.domain, domain_names=source.domain_names)
    except UserError as exc:
        db.rollback()
        discard_upload(db, token=token, person=g.person)
        return _upload_page(str(exc))
    plan.dialect = source.dialect
    return render_template("imports/preview.html", plan=plan, token=token, meta=meta)


@bp.post("/<token>/confirm")
@roles_required("facilitator", "admin")
def confirm(token: str):
    """Apply the previewed import in one transaction."""
    pending = _pending(token)
    name = pending.name
    db = get_session()
    try:
        with upload_file(pending) as path:
            source = _source(pending, path)
            plan = apply_import(db, entries=source, source=name, working=working_language(),
                                person=g.person, default_domain=pending.domain,
                                domain_names=source.domain_names,
                                expected_digest=request.form.get("digest", ""))
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.preview", token=token))
    discard_upload(db, token=token, person=g.person)
    flash(" ".join((
        _("Imported %(name)s:", name=name),
        ngettext("%(num)d change,", "%(num)d changes,", plan.changes),
        ngettext("%(num)d conflict left as it was,", "%(num)d conflicts left as they were,",
                 plan.counts["conflict"]),
        ngettext("%(num)d entry skipped.", "%(num)d entries skipped.",
                 plan.counts["skipped"]))), "success")
    return redirect(url_for("imports.upload"))


@bp.post("/<token>/cancel")
@roles_required("facilitator", "admin")
def cancel(token: str):
    """Drop a pending upload."""
    if not discard_upload(get_session(), token=token, person=g.person):
        abort(404)
    flash(_("The import was cancelled; nothing was changed."), "info")
    return redirect(url_for("imports.upload"))


@bp.get("/export")
@roles_required("facilitator", "admin", "trainer", "mediator", "outreach")
def export():
    """Download the glossary as TBX, CSV or XLSX (all or chosen languages)."""
    kind = request.args.get("format", "tbx")
    if kind not in EXPORT_TYPES:
        abort(400)
    tags = [t.strip() for t in re.split(r"[,\s]+", request.args.get("languages", ""))
            if t.strip()] or None
    agreed_only = bool(request.args.get("agreed_only"))
    writer = {"tbx": tbx.write_tbx, "csv": glossary_table.write_csv,
              "xlsx": glossary_table.write_xlsx}[kind]
    dialect = request.args.get("dialect") or "basic"  # TBX only: basic, core or 2008
    if dialect not in tbx.DIALECTS:
        abort(400)
    options = {"dialect": dialect} if kind == "tbx" else {}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "glossary." + kind)
        writer(get_session(), path, working=working_language(), languages=tags,
               agreed_only=agreed_only, **options)
        data = Path(path).read_bytes()
    mimetype, suffix = EXPORT_TYPES[kind]
    name = "glossary" + ("-" + "-".join(tags) if tags else "") + (
        "-agreed" if agreed_only else "") + "." + suffix
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=name)


@bp.route("/tokens", methods=["GET", "POST"])
@roles_required("admin")
def tokens():
    """API tokens: create one for a person (shown once), list and revoke."""
    db = get_session()
    new_token = error = None
    if request.method == "POST":
        person = db.get(Person, request.form.get("person_id", type=int) or 0)
        if person is None:
            error = _("Choose a person.")
        else:
            try:
                _row, new_token = issue_token(db, person=person,
                                              label=request.form.get("label", ""), by=g.person)
            except UserError as exc:
                error = str(exc)
    rows = db.exec(select(ApiToken, Person).join(Person, Person.id == ApiToken.person_id)
                   .order_by(ApiToken.id.desc())).all()
    people = db.exec(select(Person).where(Person.active).order_by(Person.name)).all()
    response = render_template("imports/tokens.html", rows=rows, people=people,
                               new_token=new_token, error=error)
    return response, (400 if error else 200), {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
@roles_required("admin")
def revoke(token_id: int):
    """Revoke a token at once."""
    db = get_session()
    row = db.get(ApiToken, token_id)
    if row is None:
        abort(404)
    revoke_token(db, token=row, by=g.person)
    flash(_("The token %(prefix)s… was revoked.", prefix=row.prefix), "success")
    return redirect(url_for("imports.tokens"))
