"""Groups: the dashboard of upcoming groups, the group form, the concept picker, the
group page with readiness per language, the checklist, session packs and handouts."""

from __future__ import annotations

import io
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

from .. import groups as service
from .. import htmx
from ..db import get_session
from ..errors import Conflict, InputError, NotFound, UserError
from ..exports import handouts
from ..handouts import KIND_NAMES
from ..listing import ordered_domains
from ..models import Concept, Person, Term
from .helpers import (
    language_info,
    login_required,
    roles_required,
    submitted_languages,
    today,
    with_language_tags,
    working_language,
)

bp = Blueprint("groups", __name__, url_prefix="/groups")
ORGANISERS = ("facilitator", "admin")
MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "pdf": "application/pdf"}


def get_group_or_404(group_id: int):
    """The group, or a 404 page."""
    group = get_session().get(service.Group, group_id)
    if group is None:
        abort(404)
    return group


def _validity() -> int:
    return current_app.config["TRAINING_VALIDITY_MONTHS"]


@bp.route("")
@login_required
def group_list():
    """Upcoming groups, soonest first, with readiness per language and days to start
    (``?past=1`` adds the groups that have started)."""
    db = get_session()
    include_past = request.args.get("past") == "1"
    rows = [(group, service.days_to_start(group, today()), service.readiness(db, group))
            for group in service.list_groups(db, today=today(), include_past=include_past)]
    return render_template("groups/list.html", rows=rows, include_past=include_past)


def _people_choices(db):
    people = db.exec(select(Person).where(Person.active).order_by(Person.name)).all()
    return ([p for p in people if p.has_role("facilitator")],
            [p for p in people if p.has_role("mediator")])


def _form_values(group, db) -> dict:
    if group is None:
        return {"working_language": working_language(), "languages": "",
                "facilitator_ids": [str(g.person.id)] if g.person.has_role("facilitator") else [],
                "mediator_ids": []}
    members = service.group_members(db, group)
    return {"name": group.name, "working_language": group.working_language,
            "start_date": group.start_date.isoformat() if group.start_date else "",
            "languages": ", ".join(service.group_languages(db, group)),
            "facilitator_ids": [str(p.id) for p in members["facilitator"]],
            "mediator_ids": [str(p.id) for p in members["mediator"]], "version": group.version,
            **{name: getattr(group, name) for name, _l, _n in service.HANDOUT_FIELDS}}


def _submitted_values() -> dict:
    form = request.form
    return {"name": form.get("name", ""), "working_language": form.get("working_language", ""),
            "start_date": form.get("start_date", ""), "languages": submitted_languages(),
            "facilitator_ids": form.getlist("facilitator_ids"),
            "mediator_ids": form.getlist("mediator_ids"), "version": form.get("version", ""),
            **{name: form.get(name, "") for name, _l, _n in service.HANDOUT_FIELDS}}


@bp.route("/new", methods=["GET", "POST"])
@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def group_form(group_id: int | None = None):
    """Create a group, or edit its name, languages, start date and staff."""
    db = get_session()
    group = get_group_or_404(group_id) if group_id else None
    error = None
    if request.method == "POST":
        try:
            data = service.parse_group(
                with_language_tags(request.form, "working_language", "languages"), session=db,
                                       default_working=working_language())
            if group is None:
                group = service.create_group(db, data=data, person=g.person)
                flash(_("Group created. Now choose the concepts it needs."), "success")
                return redirect(url_for("groups.group_concepts", group_id=group.id))
            service.update_group(db, group=group, data=data, person=g.person,
                                 seen_version=request.form.get("version", type=int) or 0)
        except (InputError, Conflict) as exc:
            error = exc
            if group is not None:
                group = db.get(service.Group, group.id)
        else:
            flash(_("Group saved."), "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    values = _submitted_values() if request.method == "POST" else _form_values(group, db)
    facilitators, mediators = _people_choices(db)
    status = 409 if isinstance(error, Conflict) else 400 if error else 200
    return render_template("groups/form.html", group=group, values=values, error=error,
                           facilitators=facilitators, mediators=mediators,
                           handout_fields=service.HANDOUT_FIELDS), status


@bp.route("/<int:group_id>")
@login_required
def group_page(group_id: int):
    """A group at a glance: readiness per language with the blocking concepts and links
    to fix each, the checklist's progress, and the packs (saying when the glossary has
    moved on since the newest one)."""
    db = get_session()
    group = get_group_or_404(group_id)
    pairs = service.readiness(db, group)
    languages = []
    for pair in pairs:
        rows = service.checklist(db, group, pair.language, today=today(),
                                 validity_months=_validity(), pair=pair)
        pack = service.latest_pack(db, group, pair.language)
        changed = pack is not None and service.differs_from_pack(db, group, pack)
        languages.append({"pair": pair, "checks_done": sum(r.done for r in rows),
                          "checks": len(rows), "pack": pack, "changed": changed})
    return render_template(
        "groups/page.html", group=group, languages=languages,
        members=service.group_members(db, group),
        days=service.days_to_start(group, today()), packs=service.packs_of(db, group),
        concept_count=len(service.group_concept_ids(db, group)),
        may_organise=g.person.has_role(*ORGANISERS), kinds=handouts.KINDS,
        formats=handouts.FORMATS, text_kinds=KIND_NAMES)


@bp.route("/<int:group_id>/concepts")
@login_required
def group_concepts(group_id: int):
    """The group's concepts by domain; add a whole domain, add or remove single ones."""
    db = get_session()
    group = get_group_or_404(group_id)
    chosen = set(service.group_concept_ids(db, group))
    domains = ordered_domains(db)
    wording: dict[int, str] = {}
    for term in db.exec(select(Term).where(Term.language == group.working_language)
                        .order_by(Term.id)):
        wording.setdefault(term.concept_id, term.text)
    by_domain = {d.id: {"domain": d, "in": [], "out": []} for d in domains}
    for concept in db.exec(select(Concept).order_by(Concept.key)):
        side = "in" if concept.id in chosen else "out"
        if side == "in" or concept.status == "active":
            by_domain[concept.domain_id][side].append(concept)
    return render_template("groups/concepts.html", group=group, sections=by_domain.values(),
                           wording=wording, count=len(chosen),
                           may_organise=g.person.has_role(*ORGANISERS))


def _back_to_concepts(group_id: int, message: str, kind: str = "success"):
    flash(message, kind)
    return redirect(url_for("groups.group_concepts", group_id=group_id))


@bp.post("/<int:group_id>/concepts/domain")
@roles_required(*ORGANISERS)
def add_domain(group_id: int):
    """Add every active concept of a domain."""
    group = get_group_or_404(group_id)
    try:
        added = service.add_domain(get_session(), group=group, person=g.person,
                                   domain_id=request.form.get("domain_id", type=int) or 0)
    except UserError as exc:
        return _back_to_concepts(group.id, str(exc), "error")
    return _back_to_concepts(
        group.id, ngettext("%(num)d concept added.", "%(num)d concepts added.", added))


@bp.post("/<int:group_id>/concepts/add")
@roles_required(*ORGANISERS)
def add_concept(group_id: int):
    """Add one concept."""
    group = get_group_or_404(group_id)
    try:
        added = service.add_concepts(get_session(), group=group, person=g.person,
                                     concept_ids=[request.form.get("concept_id", type=int) or 0])
    except UserError as exc:
        return _back_to_concepts(group.id, str(exc), "error")
    return _back_to_concepts(
        group.id, ngettext("%(num)d concept added.", "%(num)d concepts added.", added))


@bp.post("/<int:group_id>/concepts/<int:concept_id>/remove")
@roles_required(*ORGANISERS)
def remove_concept(group_id: int, concept_id: int):
    """Take one concept off the group's list."""
    group = get_group_or_404(group_id)
    try:
        service.remove_concept(get_session(), group=group, concept_id=concept_id,
                               person=g.person)
    except UserError as exc:
        return _back_to_concepts(group.id, str(exc), "error")
    return _back_to_concepts(group.id, _("Concept removed from the group."))


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
    rows = service.checklist(db, group, tag, today=today(), validity_months=_validity())
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
        rows = service.checklist(db, group, tag, today=today(), validity_months=_validity())
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
