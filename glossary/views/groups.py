"""Groups: the dashboard of upcoming groups, the group form, the concept picker and the
group page with readiness per language. The checklist, session packs and handout
downloads are in :mod:`.group_packs`, on the same blueprint."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import select

from .. import groups as service
from ..db import get_session
from ..errors import Conflict, InputError, UserError
from ..exports import handouts
from ..handouts import KIND_NAMES
from ..listing import ordered_domains
from ..models import Concept, Person, Term
from .helpers import (
    login_required,
    roles_required,
    submitted_languages,
    today,
    with_language_tags,
    working_language,
)

bp = Blueprint("groups", __name__, url_prefix="/groups")
ORGANISERS = ("facilitator", "admin")


def get_group_or_404(group_id: int):
    """The group, or a 404 page."""
    group = get_session().get(service.Group, group_id)
    if group is None:
        abort(404)
    return group


def validity_months() -> int:
    """How long training stays valid, in months (the app's setting)."""
    return current_app.config["TRAINING_VALIDITY_MONTHS"]


@bp.route("")
@login_required
def group_list():
    """Upcoming groups, soonest first, with readiness per language and days to start
    (``?past=1`` adds the groups that have started)."""
    db = get_session()
    include_past = request.args.get("past") == "1"
    groups = service.list_groups(db, today=today(), include_past=include_past)
    readiness = service.readiness_of_groups(db, groups)
    rows = [(group, service.days_to_start(group, today()), readiness[group.id])
            for group in groups]
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
                                 validity_months=validity_months(), pair=pair)
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



# The checklist, session packs and their handouts: their routes join this blueprint.
from . import group_packs  # noqa: E402,F401
