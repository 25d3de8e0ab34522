"""Import (upload, dry-run preview, confirm), glossary export downloads, and the admin
page for API tokens.

An upload is kept on disk under a random name known only to the uploader's session until
it is confirmed or cancelled; the preview and the import each read it afresh. The
confirmation carries the digest of the previewed plan, so what is written is exactly what
was shown (or nothing, with a new preview, when the glossary changed meanwhile).
"""

from __future__ import annotations

import io
import os
import re
import secrets
import tempfile
import time
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
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlmodel import select

from ..db import get_session
from ..errors import UserError
from ..exports import glossary_table, tbx
from ..importers.plan import FORMATS, Source, apply_import, build_plan, detect_format
from ..listing import ordered_domains
from ..models import Domain, Person
from ..models.api_tokens import ApiToken, issue_token, revoke_token
from .helpers import roles_required, working_language

bp = Blueprint("imports", __name__, url_prefix="/imports")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP_SECONDS = 24 * 3600
EXPORT_TYPES = {"tbx": ("application/x-tbx+xml", "tbx"), "csv": ("text/csv", "csv"),
                "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         "xlsx")}


def imports_dir() -> Path:
    """Where uploads wait for confirmation."""
    folder = Path(current_app.config.get("IMPORTS_DIR")
                  or os.path.join(current_app.instance_path, "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending(token: str) -> tuple[dict, Path]:
    """The uploader's pending import, or 404 (another person's token is unknown here)."""
    meta = session.get("imports", {}).get(token)
    path = imports_dir() / token
    if not TOKEN.match(token) or meta is None or not path.exists():
        abort(404)
    return meta, path


def _forget(token: str) -> None:
    pending = dict(session.get("imports", {}))
    pending.pop(token, None)
    session["imports"] = pending
    if TOKEN.match(token):
        (imports_dir() / token).unlink(missing_ok=True)


def _sweep() -> None:
    """Delete uploads nobody confirmed within a day."""
    limit = time.time() - KEEP_SECONDS
    for path in imports_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _source(meta: dict, path: Path) -> Source:
    keys = get_session().exec(select(Domain.key)).all()
    return Source(path, working=working_language(), fmt=meta["fmt"], name=meta["name"],
                  domain_keys=keys)


@bp.route("", methods=["GET", "POST"])
@roles_required("facilitator", "admin")
def upload():
    """The upload form; a posted file is stored and its dry-run preview shown."""
    error = None
    if request.method == "POST":
        upload_file = request.files.get("file")
        fmt = request.form.get("format") or None
        if upload_file is None or not upload_file.filename:
            error = _("Choose a file to import.")
        elif fmt is not None and fmt not in FORMATS:
            error = _("Choose TBX, CSV or XLSX.")
        else:
            _sweep()
            token = secrets.token_urlsafe(24)
            upload_file.save(imports_dir() / token)
            with (imports_dir() / token).open("rb") as handle:
                head = handle.read(512)
            domain = request.form.get("domain") or None
            known = set(get_session().exec(select(Domain.key)))
            pending = dict(session.get("imports", {}))
            pending[token] = {"name": Path(upload_file.filename).name[:200],
                              "fmt": fmt or detect_format(upload_file.filename, head),
                              "domain": domain if domain in known else None}
            session["imports"] = pending
            return redirect(url_for("imports.preview", token=token))
    return render_template("imports/upload.html", error=error,
                           domains=ordered_domains(get_session()),
                           formats=FORMATS), (400 if error else 200)


@bp.get("/<token>")
@roles_required("facilitator", "admin")
def preview(token: str):
    """What the import would change; nothing is written until it is confirmed."""
    meta, path = _pending(token)
    db = get_session()
    try:
        source = _source(meta, path)
        plan = build_plan(db, entries=source, source=meta["name"], working=working_language(),
                          person=g.person, default_domain=meta["domain"],
                          domain_names=source.domain_names)
    except UserError as exc:
        _forget(token)
        return render_template("imports/upload.html", error=str(exc),
                               domains=ordered_domains(get_session()), formats=FORMATS), 400
    plan.dialect = source.dialect
    return render_template("imports/preview.html", plan=plan, token=token, meta=meta)


@bp.post("/<token>/confirm")
@roles_required("facilitator", "admin")
def confirm(token: str):
    """Apply the previewed import in one transaction."""
    meta, path = _pending(token)
    db = get_session()
    try:
        source = _source(meta, path)
        plan = apply_import(db, entries=source, source=meta["name"], working=working_language(),
                            person=g.person, default_domain=meta["domain"],
                            domain_names=source.domain_names,
                            expected_digest=request.form.get("digest", ""))
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.preview", token=token))
    _forget(token)
    flash(_("Imported %(name)s: %(changes)d changes, %(conflicts)d conflicts left as they "
            "were, %(skipped)d entries skipped.", name=meta["name"], changes=plan.changes,
            conflicts=plan.counts["conflict"], skipped=plan.counts["skipped"]), "success")
    return redirect(url_for("imports.upload"))


@bp.post("/<token>/cancel")
@roles_required("facilitator", "admin")
def cancel(token: str):
    """Drop a pending upload."""
    _forget(token)
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
