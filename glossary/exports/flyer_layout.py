"""The look of a flyer, shared by its PDF and images (``flyer.typ``, ``social.typ``) and
its DOCX (:mod:`.flyer_docx`): sizes per layout, which fields are bold, barred or boxed,
the space between fields and the colours."""

from __future__ import annotations

# Sizes in points per layout: the title, ordinary fields, the working language under a
# field, the confidentiality statement (the key safeguarding message, never the smallest
# text) and the contact and call to action.
FLYER_SIZES = {
    "a4": {"title": 28, "field": 14, "source": 10.5, "confidentiality": 15, "strong": 17},
    "a5": {"title": 20, "field": 11, "source": 10, "confidentiality": 12.5, "strong": 13},
    "post": {"title": 46, "field": 24, "source": 18, "confidentiality": 24, "strong": 28},
    "story": {"title": 58, "field": 28, "source": 20, "confidentiality": 28, "strong": 34},
}
STRONG = ("contact", "call_to_action")
BOLD = ("title", "confidentiality", *STRONG)
BARRED = ("where_when", "cost")  # a bar on the side where the lines start
BOXED = "confidentiality"  # framed and shaded
GAP_MM = {"a4": 7, "a5": 3.5}  # between fields on paper
QR_MM = {"a4": 32, "a5": 24}
BLUE, AMBER, AMBER_FILL, GREY = "0B5CAD", "8A5A00", "FFF4D6", "555555"


def field_size(key: str, layout: str) -> float:
    """The size in points of field ``key`` on ``layout``."""
    sizes = FLYER_SIZES[layout]
    return sizes["title" if key == "title" else "strong" if key in STRONG else
                 "confidentiality" if key == BOXED else "field"]
