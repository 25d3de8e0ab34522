"""Which htmx elements may send requests: only those the app rendered.

Escaping keeps user text out of the markup (:mod:`glossary.i18n`), but htmx acts on any
element with an ``hx-post`` attribute, and the Content-Security-Policy does not stop
that: were markup ever to slip through, an injected ``<span hx-post=… hx-trigger=load>``
would post as whoever opened the page. So every element that the templates give an htmx
request attribute also carries ``data-hx-nonce`` with a random value made for the
response that rendered it (:func:`page_nonce`). ``static/js/app.js`` lets htmx send a
request only from an element whose nonce belongs to the page or to a fragment the page
received (the fragment's nonce comes in the ``X-Hx-Nonce`` header), and only then adds
the CSRF token, which no element inherits any more. Text stored before a response was
made cannot know that response's nonce. ``tests/test_markup.py`` checks that every htmx
request attribute in the templates carries the nonce.
"""

from __future__ import annotations

import secrets

from flask import Response, g

HEADER = "X-Hx-Nonce"


def page_nonce() -> str:
    """The nonce of the response being rendered (made on first use)."""
    if "hx_nonce" not in g:
        g.hx_nonce = secrets.token_urlsafe(18)
    return g.hx_nonce


def nonce_globals() -> dict:
    """Template context: ``hx_nonce`` for the elements that send htmx requests."""
    return {"hx_nonce": page_nonce()}


def send_nonce(response: Response) -> Response:
    """Tell the page the nonce of a fragment it is about to swap in."""
    if "hx_nonce" in g:
        response.headers[HEADER] = g.hx_nonce
    return response
