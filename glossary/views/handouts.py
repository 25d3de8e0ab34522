"""Handout texts of a group: the list, making one from a starter, editing its paragraphs
(facilitators), translating paragraph by paragraph beside the working-language text
with the terminology check as the mediator types, signing off, and printing participant
handouts from a session pack."""

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

from .. import groups as group_service
from .. import handouts as service
from .. import languages
from ..audio.earlier import earlier_paragraphs
from ..audio.store import HANDOUT_PARAGRAPH
from ..concepts import custom_languages
from ..db import get_session
from ..errors import Conflict, InputError, NotFound, Refused, UserError
from ..exports import handouts as staff_handouts
from ..exports import participant
from ..flyers import may_translate
from ..handouts import translations
from ..handouts.easy import long_paragraphs
from ..qa.fields import problem_messages
from .group_packs import MIMETYPES
from .groups import ORGANISERS, get_group_or_404
from .helpers import login_required, roles_required, today
from .signing import sign_context

bp = Blueprint("handouts", __name__, url_prefix="/groups/<int:group_id>/handouts")


def _text_or_404(db, group, kind: str):
    text = service.get_text(db, group, kind) if kind in service.KINDS else None
    if text is None:
        abort(404)
    return text


def _language_or_404(db, group, tag: str) -> str:
    try:
        tag = languages.validate_tag(tag, custom_languages(db))
    except InputError:
        abort(404)
    if tag not in group_service.group_languages(db, group):
        abort(404)
    return tag


@bp.route("")
@login_required
def text_list(group_id: int):
    """The group's handout texts with the state of each translation, and the kinds not
    made yet."""
    db = get_session()
    group = get_group_or_404(group_id)
    tags = group_service.group_languages(db, group)
    rows = []
    for text in service.texts_of(db, group):
        states = {}
        for tag in tags:
            found = translations.get_translation(db, text, tag)
            states[tag] = translations.live_state(db, found) if found else None
        rows.append((text, states))
    made = {text.kind for text, _s in rows}
    return render_template("handouts/list.html", group=group, rows=rows, tags=tags,
                           missing=[k for k in service.KINDS if k not in made],
                           kind_names=service.KIND_NAMES,
                           may_edit=g.person.has_role(*service.EDITOR_ROLES))


@bp.post("/new")
@roles_required(*ORGANISERS)
def text_new(group_id: int):
    """Make the group's handout of a kind from its starter."""
    db = get_session()
    group = get_group_or_404(group_id)
    kind = request.form.get("kind", "")
    try:
        service.create_text(db, group=group, kind=kind, person=g.person)
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("handouts.text_list", group_id=group.id))
    flash(_("Made from the starter. Adapt it for this group."), "success")
    return redirect(url_for("handouts.text_page", group_id=group.id, kind=kind))


@bp.route("/<kind>", methods=["GET", "POST"])
@login_required
def text_page(group_id: int, kind: str):
    """The working-language text, paragraph by paragraph (editable by facilitators),
    with a pictogram per paragraph for easy read; links to its translations."""
    db = get_session()
    group = get_group_or_404(group_id)
    text = _text_or_404(db, group, kind)
    error, form = None, None
    if request.method == "POST":
        if not g.person.has_role(*service.EDITOR_ROLES):
            abort(403)
        form = request.form
        try:
            title, paragraphs, next_id = service.parse_paragraphs(text, request.form)
            service.update_text(db, text=text, title=title, paragraphs=paragraphs,
                                next_id=next_id, person=g.person,
                                seen_version=request.form.get("version", type=int) or 0)
        except (InputError, Conflict) as exc:
            error = exc
            db.refresh(text)
        else:
            flash(_("Saved. Translations signed before this change need review."), "success")
            return redirect(url_for("handouts.text_page", group_id=group.id, kind=kind))
    tags = group_service.group_languages(db, group)
    states = {}
    for tag in tags:
        found = translations.get_translation(db, text, tag)
        states[tag] = translations.live_state(db, found) if found else None
    status = 409 if isinstance(error, Conflict) else 400 if error else 200
    return render_template("handouts/text.html", group=group, text=text, form=form,
                           error=error, states=states, name=service.KIND_NAMES[kind],
                           pictograms=service.PICTOGRAMS, fields=service.GROUP_FIELDS,
                           long=long_paragraphs(text.paragraphs),
                           may_edit=g.person.has_role(*service.EDITOR_ROLES)), status


def _translation_context(db, group, text, translation, tag: str) -> dict:
    source, _missing = translations.resolved_parts(
        db, translations.source_parts(text), group=group, language=group.working_language)
    context = {"tag": tag, "translation": translation, "source": source, "findings": {},
               "problems": [], "wording": None, "state": "open", "empty": [],
               "unresolved": [], "current_signatures": [], "sign_roles": [],
               "sign_refusals": [], "numbered": translations.numbered(text), "earlier": set()}
    if translation is None:
        return context
    wording = translations.translation_wording(db, translation)
    findings = translations.check_translation(db, translation, wording=wording)
    state = translations.live_state(db, translation)
    context.update(wording=wording, findings=findings, state=state,
                   problems=problem_messages(findings),
                   empty=translations.empty_paragraphs(text, translation),
                   unresolved=translations.resolved_parts(
                       db, translation.paragraphs, group=group, language=tag)[1],
                   earlier=earlier_paragraphs(db, translation, slot=HANDOUT_PARAGRAPH,
                                              texts=translation.paragraphs))
    context.update(sign_context(db, tag=tag, state=state,
                                signatures=translations.signatures_of(db, translation.id),
                                fingerprint=wording.fingerprint))
    return context


@bp.route("/<kind>/<tag>", methods=["GET", "POST"])
@login_required
def translation_page(group_id: int, kind: str, tag: str):
    """Translate paragraph by paragraph beside the working-language text; the check of
    each paragraph runs as the mediator types; sign off."""
    db = get_session()
    group = get_group_or_404(group_id)
    text = _text_or_404(db, group, kind)
    tag = _language_or_404(db, group, tag)
    translation = translations.get_translation(db, text, tag)
    error = None
    form = {f"t-{k}": v for k, v in (translation.paragraphs if translation else {}).items()}
    if request.method == "POST":
        form = request.form
        try:
            parts = translations.parse_translation(text, request.form)
            translation = translations.save_translation(
                db, text=text, language=tag, parts=parts, person=g.person,
                seen_version=request.form.get("version", type=int))
        except (InputError, Conflict, Refused) as exc:
            error = exc
            translation = translations.get_translation(db, text, tag)
        else:
            flash(_("Translation saved."), "success")
            return redirect(url_for("handouts.translation_page", group_id=group.id,
                                    kind=kind, tag=tag))
    elif translation is None and not may_translate(g.person, tag):
        abort(403)
    context = _translation_context(db, group, text, translation, tag)
    status = 403 if isinstance(error, Refused) else 409 if isinstance(error, Conflict) \
        else 400 if error else 200
    return render_template("handouts/translation.html", group=group, text=text, form=form,
                           error=error, name=service.KIND_NAMES[kind], **context), status


@bp.post("/<kind>/<tag>/check/<key>")
@login_required
def check_paragraph(group_id: int, kind: str, tag: str, key: str):
    """The terminology check of one paragraph as typed (htmx; nothing is saved)."""
    db = get_session()
    group = get_group_or_404(group_id)
    text = _text_or_404(db, group, kind)
    tag = _language_or_404(db, group, tag)
    try:
        items = translations.check_typed(db, text=text, language=tag, key=key,
                                         typed=request.form.get(f"t-{key}", ""))
    except InputError:
        abort(404)
    return render_template("handouts/_check.html", key=key, items=items, tag=tag,
                           problems=problem_messages({key: items}))


@bp.post("/<kind>/<tag>/sign")
@login_required
def sign(group_id: int, kind: str, tag: str):
    """Sign the translation's exact text; refused while a paragraph is empty, while the
    check finds problems, or when the text changed since the page was opened."""
    db = get_session()
    group = get_group_or_404(group_id)
    text = _text_or_404(db, group, kind)
    translation = translations.get_translation(db, text, _language_or_404(db, group, tag))
    if translation is None:
        abort(404)
    try:
        translations.sign_translation(
            db, translation=translation, person=g.person, role=request.form.get("role", ""),
            seen_fingerprint=request.form.get("fingerprint", ""), today=today(),
            validity_months=current_app.config["TRAINING_VALIDITY_MONTHS"])
    except UserError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        flash(_("Signed."), "success")
    return redirect(url_for("handouts.translation_page", group_id=group.id, kind=kind,
                            tag=tag))


@bp.route("/packs/<int:pack_id>/<kind>.<fmt>")
@login_required
def download(group_id: int, pack_id: int, kind: str, fmt: str):
    """A participant handout of a pack (``?layout=columns`` for a facing column,
    ``?easy=1`` for easy read), also written to the exports folder."""
    db = get_session()
    group = get_group_or_404(group_id)
    if kind not in participant.KINDS or fmt not in participant.FORMATS:
        abort(404)
    easy = request.args.get("easy") == "1"
    try:
        pack = group_service.get_pack(db, group, pack_id)
        describe = staff_handouts.language_describer(db, group.working_language)
        handout = staff_handouts.handout_for(pack, group_name=group.name,
                                             start_date=group.start_date, describe=describe)
        data = participant.render_participant(
            handout, kind=kind, fmt=fmt, layout=request.args.get("layout", "lines"),
            easy=easy)
    except NotFound:
        abort(404)
    except UserError as exc:
        flash(str(exc), "error")
        return redirect(url_for("groups.group_page", group_id=group.id))
    name = participant.participant_filename(handout, kind, fmt, easy=easy)
    folder = Path(current_app.config["EXPORTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=name)

