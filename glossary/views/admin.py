"""Admin pages: people (roles, languages, training dates, signing a person out
everywhere), languages, audit log."""

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
from flask_babel import gettext, ngettext
from sqlalchemy import func
from sqlmodel import select

from .. import people as service
from .. import sessions
from ..agreement import ROLES, training_current, training_expiry
from ..audit_text import tell_all
from ..concepts import custom_languages
from ..db import get_session
from ..errors import InputError, found
from ..i18n import _l
from ..languages import save_custom_language
from ..models import AuditEvent, Person
from .helpers import (
    language_info,
    page_count,
    past_the_last_page,
    roles_required,
    submitted_languages,
    today,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/people")
@roles_required("admin")
def people():
    """Everyone with their roles, languages and training status."""
    validity = current_app.config["TRAINING_VALIDITY_MONTHS"]
    rows = [
        (p, training_expiry(p.training_date, validity),
         training_current(p.training_date, today(), validity))
        for p in get_session().exec(select(Person).order_by(Person.name))
    ]
    return render_template("admin/people.html", rows=rows)


@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@roles_required("admin")
def person_form(person_id: int | None = None):
    """Add or edit a person."""
    db = get_session()
    target = db.get(Person, person_id) if person_id else None
    if person_id and target is None:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            fields = service.person_fields(db, request.form, roles=request.form.getlist("roles"),
                                           langs=submitted_languages())
            if target is None:
                added = service.create_person(db, fields=fields,
                                              password=request.form.get("password", ""),
                                              by=g.person)
                flash(gettext("%(name)s was added and can sign in with the e-mail %(email)s.",
                              name=added.name, email=added.email), "success")
            else:
                service.update_person(db, person=target, fields=fields,
                                      password=request.form.get("password") or None,
                                      active=bool(request.form.get("active")), by=g.person,
                                      keep_token=g.session_token)
        except InputError as exc:
            error = exc
            if target is not None:
                db.refresh(target)
        else:
            return redirect(url_for("admin.people"))
    form = request.form if request.method == "POST" else (target.model_dump() if target else {})
    roles = (request.form.getlist("roles") if request.method == "POST"
             else (target.role_list if target else []))
    return render_template("admin/person_form.html", target=target, form=form, roles=roles,
                           all_roles=ROLES, error=error,
                           languages=(submitted_languages() if request.method == "POST"
                                      else target.languages if target else "")), (
        400 if error else 200)


@bp.post("/people/<int:person_id>/sign-out")
@roles_required("admin")
def sign_out_everywhere(person_id: int):
    """An admin ends every session of a person at once (a lost laptop, a departure)."""
    db = get_session()
    target = found(db.get(Person, person_id), _l("No such person."))
    ended = sessions.sign_out_everywhere(db, person=target, by=g.person,
                                         keep_token=g.session_token)
    flash(ngettext("%(num)d session was signed out.", "%(num)d sessions were signed out.",
                   ended), "info")
    return redirect(url_for("admin.person_form", person_id=person_id))


@bp.route("/languages", methods=["GET", "POST"])
@roles_required("admin")
def languages():
    """Languages the organisation names itself (e.g. a variant CLDR lacks)."""
    db = get_session()
    error = None
    if request.method == "POST":
        try:
            save_custom_language(db, tag=request.form.get("tag", ""),
                                 name=request.form.get("name"),
                                 endonym=request.form.get("endonym"),
                                 direction=request.form.get("direction"), person=g.person)
        except InputError as exc:
            error = exc
        else:
            return redirect(url_for("admin.languages"))
    return render_template("admin/languages.html", rows=custom_languages(db).values(),
                           form=request.form, error=error), (400 if error else 200)


@bp.route("/audit")
@roles_required("admin")
def audit():
    """The audit log, newest first, paged."""
    db = get_session()
    page = max(request.args.get("page", 1, type=int), 1)
    size = current_app.config["AUDIT_PAGE_SIZE"]
    total = db.exec(select(func.count()).select_from(AuditEvent)).one()
    pages = page_count(total, size)
    if (beyond := past_the_last_page(page, pages)) is not None:
        return beyond
    events = db.exec(select(AuditEvent).order_by(AuditEvent.id.desc())
                     .offset((page - 1) * size).limit(size)).all()
    people = {p.id: p for p in db.exec(select(Person))}
    told = tell_all(db, list(events), people=people, nobody=gettext("An import or the demo"),
                    language_name=lambda tag: str(language_info(tag).name))
    return render_template("admin/audit.html", events=told, people=people, page=page,
                           pages=pages)
