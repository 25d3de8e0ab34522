"""The session kit on a phone: for staff signed in, and through kit links for phones that
do not sign in; its web app manifest, status (is there a newer pack?), audio and the
service worker that keeps it usable offline; issuing and withdrawing kit links."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..audio.store import get_audio
from ..db import get_session
from ..errors import NotFound, UserError
from ..groups import group_languages
from ..handouts import KIND_NAMES
from ..kit import kit_audio, kit_entries, kit_pack
from ..kit.handouts import kit_texts
from ..kit.links import issue_link, link_valid, links_of, resolve_link, revoke_link
from ..models.groups import Group
from ..models.recordings import KitLink
from .groups import ORGANISERS, get_group_or_404
from .helpers import language_info, login_required, roles_required
from .recordings import serve_audio

bp = Blueprint("kit", __name__)
# Every cached kit lives in this one cache; the service worker serves from it.
CACHE_NAME = "agreed-terms-kit-v1"


@bp.route("/kit/sw.js")
def service_worker():
    """The service worker, served from /kit/ so that it may control every kit page."""
    script = Path(current_app.static_folder or "", "js", "kit-sw.js").read_bytes()
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _kit_urls(prefix: str, **values) -> dict:
    return {"page": url_for(f"kit.{prefix}_page", **values),
            "status": url_for(f"kit.{prefix}_status", **values),
            "manifest": url_for(f"kit.{prefix}_manifest", **values),
            "audio": lambda sha, ext: url_for(f"kit.{prefix}_audio", sha256=sha, ext=ext,
                                              **values)}


def _render_kit(group: Group, language: str, urls: dict):
    pack = kit_pack(get_session(), group, language)
    if pack is None:
        raise NotFound(_("There is no session pack for this language yet: a facilitator "
                         "freezes one on the group's page."))
    response = current_app.make_response(render_template(
        "kit/page.html", pack=pack, entries=kit_entries(pack), texts=kit_texts(pack),
        kind_names=KIND_NAMES, info=language_info(language),
        source_info=language_info(pack.source_language), language=language, urls=urls,
        audio_url=urls["audio"], cache_name=CACHE_NAME))
    response.headers["Cache-Control"] = "no-cache"
    return response


def _status(group: Group, language: str):
    pack = kit_pack(get_session(), group, language)
    response = jsonify({"hash": pack.content_hash if pack else None,
                        "created_at": pack.created_at.isoformat() if pack else None})
    response.headers["Cache-Control"] = "no-store"
    return response


def _manifest(language: str, urls: dict):
    info = language_info(language)
    response = jsonify({
        "name": _("Session kit: %(language)s", language=info.name),
        "short_name": info.endonym or info.name, "lang": language, "dir": info.direction,
        "start_url": urls["page"], "scope": url_for("kit.service_worker").rsplit("/", 1)[0] + "/",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#1d4e89",
        "icons": [{"src": url_for("static", filename="img/kit-icon.svg"), "sizes": "any",
                   "type": "image/svg+xml"},
                  *({"src": url_for("static", filename=f"img/kit-icon-{size}.png"),
                     "sizes": f"{size}x{size}", "type": "image/png"} for size in (192, 512))]})
    response.mimetype = "application/manifest+json"
    return response


def _audio(group: Group, language: str, sha256: str, ext: str):
    if sha256 not in kit_audio(get_session(), group, language):
        abort(404)
    return serve_audio(get_audio(get_session(), sha256), ext)


def _staff_group(group_id: int, language: str) -> Group:
    group = get_group_or_404(group_id)
    if language not in group_languages(get_session(), group):
        abort(404)
    return group


@bp.route("/kit/groups/<int:group_id>/<language>/")
@login_required
def staff_page(group_id: int, language: str):
    """The kit of a group for a language, for staff signed in."""
    return _render_kit(_staff_group(group_id, language), language,
                       _kit_urls("staff", group_id=group_id, language=language))


@bp.route("/kit/groups/<int:group_id>/<language>/status.json")
@login_required
def staff_status(group_id: int, language: str):
    """The hash of the newest pack, for the kit to tell whether it is out of date."""
    return _status(_staff_group(group_id, language), language)


@bp.route("/kit/groups/<int:group_id>/<language>/manifest.webmanifest")
@login_required
def staff_manifest(group_id: int, language: str):
    """The web app manifest of a staff kit."""
    _staff_group(group_id, language)
    return _manifest(language, _kit_urls("staff", group_id=group_id, language=language))


@bp.route("/kit/groups/<int:group_id>/<language>/audio/<sha256>.<any(ogg, m4a):ext>")
@login_required
def staff_audio(group_id: int, language: str, sha256: str, ext: str):
    """A recording of the kit's pack."""
    return _audio(_staff_group(group_id, language), language, sha256, ext)


def _linked(token: str) -> tuple[Group, str]:
    link = resolve_link(get_session(), token)
    return get_session().get(Group, link.group_id), link.language


@bp.route("/kit/t/<token>/")
def link_page(token: str):
    """The kit through a kit link (no sign-in)."""
    group, language = _linked(token)
    return _render_kit(group, language, _kit_urls("link", token=token))


@bp.route("/kit/t/<token>/status.json")
def link_status(token: str):
    """As :func:`staff_status`; 410 once the link expired or was withdrawn, which tells
    the phone to delete its copy."""
    try:
        group, language = _linked(token)
    except UserError:
        return jsonify({"hash": None, "withdrawn": True}), 410
    return _status(group, language)


@bp.route("/kit/t/<token>/manifest.webmanifest")
def link_manifest(token: str):
    """The web app manifest of a linked kit."""
    _group, language = _linked(token)
    return _manifest(language, _kit_urls("link", token=token))


@bp.route("/kit/t/<token>/audio/<sha256>.<any(ogg, m4a):ext>")
def link_audio(token: str, sha256: str, ext: str):
    """A recording of the linked kit's pack."""
    group, language = _linked(token)
    return _audio(group, language, sha256, ext)


@bp.route("/groups/<int:group_id>/kit", methods=["GET", "POST"])
@login_required
def links_page(group_id: int):
    """The group's kits by language, and its kit links: issue (the link is shown once)
    and withdraw."""
    db = get_session()
    group = get_group_or_404(group_id)
    issued = None
    if request.method == "POST":
        if not g.person.has_role(*ORGANISERS):
            abort(403)
        try:
            link, token = issue_link(db, group=group, language=request.form.get("language", ""),
                                     person=g.person, label=request.form.get("label", ""),
                                     days=current_app.config["KIT_LINK_DAYS"])
        except UserError as exc:
            flash(str(exc), "error")
        else:
            issued = (link, url_for("kit.link_page", token=token, _external=True))
    return render_template("kit/links.html", group=group, issued=issued,
                           languages=group_languages(db, group), links=links_of(db, group),
                           valid=link_valid, may_organise=g.person.has_role(*ORGANISERS))


@bp.post("/groups/<int:group_id>/kit/links/<int:link_id>/revoke")
@roles_required(*ORGANISERS)
def revoke(group_id: int, link_id: int):
    """Withdraw a kit link."""
    db = get_session()
    group = get_group_or_404(group_id)
    link = db.get(KitLink, link_id)
    if link is None or link.group_id != group.id:
        abort(404)
    try:
        revoke_link(db, link=link, person=g.person)
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The kit link was withdrawn."), "success")
    return redirect(url_for("kit.links_page", group_id=group.id))
