"""Recording how a rendering is said: the recorder page (microphone or a file), listening
back to the converted sound, saving it into the rendering, and serving stored audio."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import ClientDisconnected

from .. import flyer_templates, flyers
from .. import handouts as handout_service
from ..agreement import AGREED
from ..audio import store
from ..audio.earlier import SPOKEN_FIELD
from ..audio.voice_note import join_recordings
from ..concepts import may_edit_language
from ..db import get_session
from ..errors import InputError, NotFound, Refused, UserError
from ..handouts import translations as handout_translations
from ..i18n import _l
from ..models.flyers import Flyer
from .concepts import get_concept_or_404, get_term_or_404
from .groups import get_group_or_404
from .helpers import language_info, login_required, upload_interrupted, working_language

bp = Blueprint("recordings", __name__)
MEDIA_TYPES = {"ogg": "audio/ogg", "m4a": "audio/mp4"}
INTERRUPTED = _l("The upload was interrupted before it was complete. Nothing was saved; "
                 "send it again.")


@bp.app_context_processor
def audio_links() -> dict:
    """``audio_url(sha, ext)`` for every template (the kit passes its own)."""
    return {"audio_url": lambda sha, ext: url_for("recordings.audio", sha256=sha, ext=ext)}


def uploaded_audio() -> bytes:
    """The bytes of the form's ``audio`` file; :class:`InputError` when the upload was
    cut off on the way (the phone lost its network)."""
    try:
        upload = request.files.get("audio")
        if upload is None and upload_interrupted():
            raise ClientDisconnected()
        return upload.read() if upload else b""
    except ClientDisconnected as error:
        raise InputError(INTERRUPTED, field="audio") from error


def serve_audio(blob, ext: str) -> Response:
    """Stored audio as a response that phones may seek in (byte ranges) and keep: the
    URL names the content, so it never changes."""
    data = blob.ogg if ext == "ogg" else blob.m4a
    response = Response(data, mimetype=MEDIA_TYPES[ext])
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response.make_conditional(request, accept_ranges=True, complete_length=len(data))


@bp.route("/audio/<sha256>.<any(ogg, m4a):ext>")
@login_required
def audio(sha256: str, ext: str):
    """A stored recording, Ogg/Opus or MPEG-4/AAC, for staff."""
    return serve_audio(store.get_audio(get_session(), sha256), ext)


def _recorder(*, allowed: bool, spoken: dict, back: dict, current_sha: str | None,
              save_url: str, version: int, slot: str, owner_id: int, part: int = 0,
              heading: str | None = None):
    """The recorder page of one slot; on POST, the sent audio converted for listening
    back (nothing is saved into the slot until the person presses Save)."""
    db = get_session()
    limits = store.AudioLimits.from_config(current_app.config)
    pending = error = None
    status = 200
    if request.method == "POST" and allowed:
        try:
            pending = store.store_audio(db, data=uploaded_audio(), limits=limits)
        except UserError as exc:
            error, status = exc, 400
    elif request.method == "POST":
        status = 403
    history = [r for r in store.recordings_of(db, slot=slot, owner_ids=[owner_id])
               .get(owner_id, []) if r.part == part]
    return render_template("recording.html", allowed=allowed, limits=limits, pending=pending,
                           error=error, recordings=history, spoken=spoken, back=back,
                           current_sha=current_sha, save_url=save_url,
                           version=version, heading=heading), status


# What a rendering's recorder records, by the URL's last part: the slot and the text.
TERM_PARTS = {"wording": store.TERM_WORDING, "explanation": store.TERM_EXPLANATION}
TERM_HEADINGS = {"wording": _l("Record the rendering"),
                 "explanation": _l("Record the explanation for participants")}


def _term_part(term, part: str) -> str:
    """The text ``part`` of ``term`` speaks; 404 for an unknown part or an empty text."""
    text = getattr(term, SPOKEN_FIELD.get(part, ""), "") if part in TERM_PARTS else ""
    if not text:
        abort(404)
    return text


@bp.route("/terms/<int:term_id>/recording", methods=["GET", "POST"],
          defaults={"part": "wording"})
@bp.route("/terms/<int:term_id>/recording/<part>", methods=["GET", "POST"])
@login_required
def term_recording(term_id: int, part: str):
    """Record (or choose a file), listen back to the converted sound, then save it: the
    rendering itself, or its explanation for participants (``part``)."""
    term = get_term_or_404(term_id)
    concept = get_concept_or_404(term.concept_id)
    return _recorder(
        allowed=may_edit_language(g.person, term.language, working_language()),
        spoken={"text": _term_part(term, part), "language": term.language,
                "direction": language_info(term.language).direction},
        back={"url": url_for("concepts.concept_page", concept_id=concept.id,
                             _anchor=f"lang-{term.language}"), "label": concept.key},
        current_sha=(term.audio or {}).get(part), version=term.version,
        save_url=url_for("recordings.save_term_recording", term_id=term.id, part=part),
        slot=TERM_PARTS[part], owner_id=term.id, heading=TERM_HEADINGS[part])


@bp.route("/terms/<int:term_id>/recording/save", methods=["POST"],
          defaults={"part": "wording"})
@bp.route("/terms/<int:term_id>/recording/<part>/save", methods=["POST"])
@login_required
def save_term_recording(term_id: int, part: str):
    """Save the sound listened back to as the rendering's (or its explanation's)
    recording: a new version of the rendering."""
    db = get_session()
    term = get_term_or_404(term_id)
    _term_part(term, part)
    store.record_term(db, term=term, sha256=request.form.get("sha256", ""),
                      seen_version=request.form.get("version", type=int) or 0,
                      person=g.person, working=working_language(), slot=TERM_PARTS[part])
    return redirect(url_for("concepts.concept_page", concept_id=term.concept_id,
                            _anchor=f"lang-{term.language}"))


def _flyer_translation_or_404(flyer_id: int, tag: str):
    db = get_session()
    flyer = db.get(Flyer, flyer_id)
    translation = flyers.get_translation(db, flyer, tag) if flyer else None
    if translation is None:
        abort(404)
    return flyer, translation


@bp.route("/flyers/<int:flyer_id>/translations/<tag>/recording/<field>",
          methods=["GET", "POST"])
@login_required
def flyer_recording(flyer_id: int, tag: str, field: str):
    """Record one paragraph of a flyer translation (for the voice note)."""
    flyer, translation = _flyer_translation_or_404(flyer_id, tag)
    keys = [spec.key for spec in flyer_templates.get_template(flyer.template).fields]
    if not translation.fields.get(field) or field not in keys:
        abort(404)
    return _recorder(
        allowed=flyers.may_translate(g.person, tag),
        spoken={"text": translation.fields[field], "language": tag,
                "direction": language_info(tag).direction},
        back={"url": url_for("flyers.translation_page", flyer_id=flyer.id, tag=tag),
              "label": flyer.name},
        current_sha=(translation.audio or {}).get(field), version=translation.version,
        save_url=url_for("recordings.save_flyer_recording", flyer_id=flyer.id, tag=tag,
                         field=field),
        slot=store.FLYER_PARAGRAPH, owner_id=translation.id,
        part=keys.index(field))


@bp.post("/flyers/<int:flyer_id>/translations/<tag>/recording/<field>/save")
@login_required
def save_flyer_recording(flyer_id: int, tag: str, field: str):
    """Save the paragraph's recording (a new version of the translation)."""
    flyer, translation = _flyer_translation_or_404(flyer_id, tag)
    store.record_flyer_paragraph(get_session(), translation=translation, field=field,
                                 sha256=request.form.get("sha256", ""),
                                 seen_version=request.form.get("version", type=int) or 0,
                                 person=g.person)
    return redirect(url_for("flyers.translation_page", flyer_id=flyer.id, tag=tag))


@bp.route("/flyers/<int:flyer_id>/translations/<tag>/voice-note.ogg")
@login_required
def voice_note(flyer_id: int, tag: str):
    """The signed-off translation's paragraph recordings as one Ogg/Opus voice message."""
    flyer, translation = _flyer_translation_or_404(flyer_id, tag)
    if translation.state != AGREED:
        raise Refused(_l("The voice note is made only from a signed-off translation."))
    parts = store.voice_note_parts(get_session(), translation)
    if not parts:
        raise NotFound(_l("No paragraph of this translation has a recording yet."))
    response = Response(join_recordings(parts), mimetype="audio/ogg")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="flyer-{flyer.id}-{tag}-voice-note.ogg"')
    return response


def _handout_translation_or_404(group_id: int, kind: str, tag: str, key: str):
    """The group, handout text and translation of a paragraph that has translated text."""
    db = get_session()
    group = get_group_or_404(group_id)
    text = handout_service.get_text(db, group, kind) if kind in handout_service.KINDS else None
    translation = handout_translations.get_translation(db, text, tag) if text else None
    if translation is None or not (translation.paragraphs.get(key) or "").strip():
        abort(404)
    return group, text, translation


@bp.route("/groups/<int:group_id>/handouts/<kind>/<tag>/recording/<key>",
          methods=["GET", "POST"])
@login_required
def handout_recording(group_id: int, kind: str, tag: str, key: str):
    """Record one translated paragraph of a group's handout text (for the kit)."""
    group, text, translation = _handout_translation_or_404(group_id, kind, tag, key)
    order = {part: number for number, part in handout_translations.numbered(text)}
    if key not in order:
        abort(404)
    return _recorder(
        allowed=flyers.may_translate(g.person, tag),
        spoken={"text": translation.paragraphs[key], "language": tag,
                "direction": language_info(tag).direction},
        back={"url": url_for("handouts.translation_page", group_id=group.id, kind=kind,
                             tag=tag), "label": text.title},
        current_sha=(translation.audio or {}).get(key), version=translation.version,
        save_url=url_for("recordings.save_handout_recording", group_id=group.id, kind=kind,
                         tag=tag, key=key),
        slot=store.HANDOUT_PARAGRAPH, owner_id=translation.id, part=order[key])


@bp.post("/groups/<int:group_id>/handouts/<kind>/<tag>/recording/<key>/save")
@login_required
def save_handout_recording(group_id: int, kind: str, tag: str, key: str):
    """Save the paragraph's recording (a new version of the handout translation)."""
    group, _text, translation = _handout_translation_or_404(group_id, kind, tag, key)
    store.record_handout_paragraph(get_session(), translation=translation, key=key,
                                   sha256=request.form.get("sha256", ""),
                                   seen_version=request.form.get("version", type=int) or 0,
                                   person=g.person)
    return redirect(url_for("handouts.translation_page", group_id=group.id, kind=kind,
                            tag=tag, _anchor=f"t-{key}"))
