"""Group pages per language: the pre-session checklist and its confirmations, freezing a
session pack, and downloading a pack's handouts (also written to the exports folder).
The routes join the ``groups`` blueprint of :mod:`.groups`."""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
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

from .. import groups as service
from .. import htmx
from ..db import get_session
from ..errors import NotFound, UserError
from ..exports import handouts
from .groups import ORGANISERS, bp, get_group_or_404, validity_months
from .helpers import language_info, login_required, roles_required, today

MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}


def _group_language_or_404(db, group, tag: str) -> str:
    if tag not in service.group_languages(db, group):
        abort(404)
    return tag


@bp.route("/<int:group_id>/checklist/<tag>")
@login_required
def checklist_page(group_id: int, tag: str):
    """The pre-session checklist of the group for one language."""
    db = get_session()
    group = get_group_or_404(group_id)
    _group_language_or_404(db, group, tag)
    rows = service.checklist(db, group, tag, today=today(), validity_months=validity_months())
    return render_template("groups/checklist.html", group=group, tag=tag, rows=rows,
                           info=language_info(tag), may_organise=g.person.has_role(*ORGANISERS))


@bp.post("/<int:group_id>/checklist/<tag>/<item>")
@roles_required(*ORGANISERS)
def confirm_item(group_id: int, tag: str, item: str):
    """Confirm (or withdraw) a manual checklist item, with an optional note; returns the
    item in place for htmx, or redirects back to the checklist."""
    db = get_session()
    group = get_group_or_404(group_id)
    _group_language_or_404(db, group, tag)
    message, kind = _("Confirmed."), "success"
    try:
        service.confirm(db, group=group, language=tag, item=item, person=g.person,
                        confirmed=request.form.get("action") != "withdraw",
                        note=request.form.get("note", ""))
        if request.form.get("action") == "withdraw":
            message = _("Confirmation withdrawn.")
    except NotFound:
        abort(404)
    except UserError as exc:
        message, kind = str(exc), "error"
    if htmx:
        rows = service.checklist(db, group, tag, today=today(), validity_months=validity_months())
        row = next(r for r in rows if r.item.key == item)
        return render_template("groups/_checklist_item.html", group=group, tag=tag, row=row,
                               may_organise=True, message=message, message_kind=kind)
    flash(message, kind)
    return redirect(url_for("groups.checklist_page", group_id=group.id, tag=tag,
                            _anchor=f"item-{item}"))


@bp.post("/<int:group_id>/packs")
@roles_required(*ORGANISERS)
def create_pack(group_id: int):
    """Freeze the group's wording for a language (a draft only when asked for)."""
    db = get_session()
    group = get_group_or_404(group_id)
    tag = request.form.get("language", "")
    try:
        pack = service.create_pack(db, group=group, language=tag, person=g.person,
                                   draft=request.form.get("draft") == "1")
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Session pack %(id)d frozen for %(language)s (hash %(hash)s).", id=pack.id,
                language=language_info(tag).name, hash=pack.content_hash), "success")
    return redirect(url_for("groups.group_page", group_id=group.id, _anchor=f"pair-{tag}"))


@bp.route("/<int:group_id>/packs/<int:pack_id>/<kind>.<fmt>")
@login_required
def download_handout(group_id: int, pack_id: int, kind: str, fmt: str):
    """A handout of a pack (glossary sheet or ground rules, DOCX or PDF), also written
    to the exports folder."""
    db = get_session()
    group = get_group_or_404(group_id)
    if kind not in handouts.KINDS or fmt not in handouts.FORMATS:
        abort(404)
    try:
        pack = service.get_pack(db, group, pack_id)
        describe = handouts.language_describer(db, group.working_language)
        handout = handouts.handout_for(pack, group_name=group.name,
                                       start_date=group.start_date, describe=describe)
        data = handouts.render_handout(handout, kind=kind, fmt=fmt, describe=describe)
    except NotFound:
        abort(404)
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("groups.group_page", group_id=group.id))
    name = handouts.handout_filename(handout, kind, fmt)
    folder = Path(current_app.config["EXPORTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=name)
