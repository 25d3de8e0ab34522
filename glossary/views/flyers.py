"""Flyer pages: list, create from a template, edit the working-language text, translate
per language with the terminology check beside each field, sign off, download."""

from __future__ import annotations

import io
import re

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
from sqlmodel import select

from .. import flyer_templates, languages
from .. import flyers as service
from ..audio.earlier import earlier_paragraphs
from ..audio.store import FLYER_PARAGRAPH
from ..concepts import custom_languages
from ..db import get_session
from ..errors import Conflict, InputError, NotFound, Refused, UserError
from ..exports.flyers import FORMATS, SOCIAL_SIZES, alt_text_of, write_flyer
from ..flyer_steps import next_steps
from ..models.flyers import Flyer
from ..qa.fields import problem_messages
from .concepts import known_languages
from .error_pages import forbid
from .helpers import login_required, today, working_language
from .signing import sign_context

bp = Blueprint("flyers", __name__, url_prefix="/flyers")
MIME = {"pdf": "application/pdf", "txt": "text/plain; charset=utf-8", "png": "image/png",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def get_flyer_or_404(flyer_id: int) -> Flyer:
    """The flyer, or a 404 page."""
    flyer = get_session().get(Flyer, flyer_id)
    if flyer is None:
        abort(404)
    return flyer


def may_edit() -> bool:
    """Outreach staff, facilitators and admins write the working-language text."""
    return g.person.has_role(*service.EDITOR_ROLES)


@bp.route("")
@login_required
def flyer_list():
    """Every flyer with the state of each translation."""
    db = get_session()
    rows = [(f, service.translations_of(db, f))
            for f in db.exec(select(Flyer).order_by(Flyer.name))]
    return render_template("flyers/list.html", rows=rows, may_edit=may_edit())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def flyer_new():
    """Create a flyer from a template; the fields start with the template's defaults."""
    if not may_edit():
        forbid(*service.EDITOR_ROLES)
    templates = flyer_templates.load_templates()
    key = request.values.get("template") or next(iter(templates))
    if key not in templates:
        abort(404)
    template = templates[key]
    error = None
    form = request.form if request.method == "POST" else {
        spec.key: spec.default for spec in template.fields}
    if request.method == "POST":
        db = get_session()
        try:
            fields = flyer_templates.parse_fields(template, request.form, required=False)
            flyer = service.create_flyer(db, name=request.form.get("name", ""),
                                         template_key=key,
                                         layout=request.form.get("layout", "a4"),
                                         fields=fields, person=g.person,
                                         working=working_language())
        except InputError as exc:
            error = exc
        else:
            flash(_("Flyer created. Next, have it translated: the table below says, per "
                    "language, who can translate it and where its translation stands."),
                  "success")
            return redirect(url_for("flyers.flyer_page", flyer_id=flyer.id,
                                    _anchor="next-steps"))
    return render_template("flyers/form.html", flyer=None, template=template,
                           templates=templates, form=form, error=error,
                           layouts=flyer_templates.LAYOUTS), (400 if error else 200)


@bp.route("/<int:flyer_id>", methods=["GET", "POST"])
@login_required
def flyer_page(flyer_id: int):
    """The working-language text (editable by outreach staff) and its translations."""
    db = get_session()
    flyer = get_flyer_or_404(flyer_id)
    template = flyer_templates.get_template(flyer.template)
    error = None
    form = flyer.fields
    if request.method == "POST":
        if not may_edit():
            forbid(*service.EDITOR_ROLES)
        form = request.form
        try:
            fields = flyer_templates.parse_fields(template, request.form, required=False)
            service.update_flyer(db, flyer=flyer, fields=fields,
                                 layout=request.form.get("layout", flyer.layout),
                                 seen_version=request.form.get("version", type=int) or 0,
                                 person=g.person)
        except (InputError, Conflict) as exc:
            error = exc
            db.refresh(flyer)
        else:
            flash(_("Saved. Translations signed before this change need review."), "success")
            return redirect(url_for("flyers.flyer_page", flyer_id=flyer.id))
    translations = service.translations_of(db, flyer)
    started = {t.target_language for t in translations}
    addable = [t for t in known_languages(db) if t not in started]
    if not g.person.has_role("facilitator", "admin"):
        addable = [t for t in addable if t in g.person.language_list]
    return render_template("flyers/page.html", flyer=flyer, template=template, form=form,
                           error=error, translations=translations, addable=addable,
                           may_edit=may_edit(), layouts=flyer_templates.LAYOUTS,
                           steps=next_steps(db, flyer, today=today(), validity_months=current_app
                                            .config["TRAINING_VALIDITY_MONTHS"]),
                           formats=FORMATS), (409 if isinstance(error, Conflict)
                                              else 400 if error else 200)


@bp.route("/<int:flyer_id>/translations")
@login_required
def start_translation(flyer_id: int):
    """Go to the translation page of the language chosen in the form."""
    flyer = get_flyer_or_404(flyer_id)
    return redirect(url_for("flyers.translation_page", flyer_id=flyer.id,
                            tag=request.args.get("language", "")))


@bp.route("/<int:flyer_id>/translations/<tag>", methods=["GET", "POST"])
@login_required
def translation_page(flyer_id: int, tag: str):
    """Translate field by field beside the working-language text, with the terminology
    check's findings next to each field; sign off; download."""
    db = get_session()
    flyer = get_flyer_or_404(flyer_id)
    try:
        tag = languages.validate_tag(tag, custom_languages(db))
    except InputError:
        abort(404)
    template = flyer_templates.get_template(flyer.template)
    translation = service.get_translation(db, flyer, tag)
    error = None
    form = translation.fields if translation else {}
    if request.method == "POST":
        form = request.form
        try:
            fields = flyer_templates.parse_fields(template, request.form, required=False)
            translation = service.save_translation(
                db, flyer=flyer, language=tag, fields=fields,
                seen_version=request.form.get("version", type=int), person=g.person,
                working=working_language())
        except (InputError, Conflict, Refused) as exc:
            error = exc
            translation = service.get_translation(db, flyer, tag)
        else:
            flash(_("Translation saved."), "success")
            return redirect(url_for("flyers.translation_page", flyer_id=flyer.id, tag=tag))
    elif translation is None and not service.may_translate(g.person, tag):
        abort(403)
    context = _translation_context(db, flyer, translation, tag)
    status = 403 if isinstance(error, Refused) else 409 if isinstance(error, Conflict) \
        else 400 if error else 200
    return render_template("flyers/translation.html", flyer=flyer, template=template,
                           form=form, error=error, **context), status


def _translation_context(db, flyer, translation, tag: str) -> dict:
    source, _missing = flyer_templates.rendered(db, flyer.fields, language=flyer.source_language,
                                        working=flyer.source_language)
    context = {"tag": tag, "translation": translation, "source": source, "findings": {},
               "problems": [], "wording": None, "sign_roles": [], "sign_refusals": [],
               "formats": [f for f in FORMATS if f != "png"], "social_sizes": SOCIAL_SIZES,
               "signatures": [], "earlier": set()}
    if translation is None:
        return context
    wording = service.translation_wording(db, translation)
    findings = service.check_translation(db, translation, wording=wording)
    # The text as the flyer will read, citations resolved: shown before any download.
    preview, unresolved = flyer_templates.rendered(db, translation.fields, language=tag,
                                           working=flyer.source_language)
    context.update(wording=wording, findings=findings,
                   alt_text=alt_text_of(wording.snapshot.get(tag, {})),
                   problems=problem_messages(findings),
                   signatures=service.signatures_of(db, translation.id),
                   preview=preview, unresolved=unresolved,
                   earlier=earlier_paragraphs(db, translation, slot=FLYER_PARAGRAPH,
                                              texts=translation.fields))
    context.update(sign_context(db, tag=tag, state=translation.state,
                                signatures=context["signatures"],
                                fingerprint=wording.fingerprint))
    return context


@bp.post("/<int:flyer_id>/translations/<tag>/sign")
@login_required
def sign(flyer_id: int, tag: str):
    """Sign the translation's exact text; refused while the check finds problems."""
    db = get_session()
    flyer = get_flyer_or_404(flyer_id)
    translation = service.get_translation(db, flyer, tag)
    if translation is None:
        abort(404)
    blocking = problem_messages(service.check_translation(db, translation))
    try:
        service.sign_translation(
            db, translation=translation, person=g.person, role=request.form.get("role", ""),
            seen_fingerprint=request.form.get("fingerprint", ""), today=today(),
            validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"], blocking=blocking)
    except UserError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Signed."), "success")
    return redirect(url_for("flyers.translation_page", flyer_id=flyer.id, tag=tag))


@bp.route("/<int:flyer_id>/translations/<tag>/flyer.<fmt>")
@login_required
def download(flyer_id: int, tag: str, fmt: str):
    """The flyer as PDF, DOCX, text or a PNG image (``?size=post`` or ``story``);
    unsigned translations only with ``?draft=1``, marked DRAFT. A copy is kept in the
    exports folder."""
    size = request.args.get("size", "post")
    if fmt not in FORMATS or (fmt == "png" and size not in SOCIAL_SIZES):
        abort(404)
    db = get_session()
    flyer = get_flyer_or_404(flyer_id)
    buffer = io.BytesIO()
    try:
        text = write_flyer(db, flyer=flyer, language=tag, fmt=fmt,
                           draft=request.args.get("draft") == "1", target=buffer, size=size)
    except NotFound:
        abort(404)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", flyer.name).strip("-") or "flyer"
    kind = f"-{size}" if fmt == "png" else ""
    name = f"{safe}-{tag}{kind}{'-DRAFT' if text.draft else ''}.{fmt}"
    with open(f"{current_app.config['EXPORTS_DIR']}/{name}", "wb") as copy:
        copy.write(buffer.getvalue())
    buffer.seek(0)
    return send_file(buffer, mimetype=MIME[fmt], as_attachment=fmt != "txt",
                     download_name=name)
