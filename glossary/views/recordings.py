"""Recording how a rendering is said: the recorder page (microphone or a file), listening
back to the converted sound, saving it into the rendering, and serving stored audio."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import ClientDisconnected

from ..audio import store
from ..concepts import may_edit_language
from ..db import get_session
from ..errors import InputError, UserError
from ..i18n import _l
from .concepts import get_concept_or_404, get_term_or_404
from .helpers import login_required, upload_interrupted, working_language

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


@bp.route("/terms/<int:term_id>/recording", methods=["GET", "POST"])
@login_required
def term_recording(term_id: int):
    """Record (or choose a file), listen back to the converted sound, then save it."""
    db = get_session()
    term = get_term_or_404(term_id)
    concept = get_concept_or_404(term.concept_id)
    allowed = may_edit_language(g.person, term.language, working_language())
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
    history = store.recordings_of(db, slot=store.TERM_WORDING, owner_ids=[term.id])
    return render_template("concepts/recording.html", term=term, concept=concept,
                           allowed=allowed, limits=limits, pending=pending, error=error,
                           recordings=history.get(term.id, [])), status


@bp.route("/terms/<int:term_id>/recording/save", methods=["POST"])
@login_required
def save_term_recording(term_id: int):
    """Save the sound listened back to as the rendering's recording (a new version)."""
    db = get_session()
    term = get_term_or_404(term_id)
    store.record_term(db, term=term, sha256=request.form.get("sha256", ""),
                      seen_version=request.form.get("version", type=int) or 0,
                      person=g.person, working=working_language())
    return redirect(url_for("concepts.concept_page", concept_id=term.concept_id,
                            _anchor=f"lang-{term.language}"))
