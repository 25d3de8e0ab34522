"""Every document kind in seven scripts, rendered to small PNG pages for the comparison
with reviewed reference images (tests/test_document_pages.py) and for refreshing them
(tests/refresh_references.py). No database: the handouts are printed from an in-memory
session pack, the flyers from a :class:`FlyerText` built here. Example text, not vetted.
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image

from glossary import groups
from glossary.exports import handouts
from glossary.exports.document import TextLanguage
from glossary.exports.flyers import FlyerText, flyer_pdf, flyer_png
from glossary.languages import describe as language_names
from glossary.models.flyers import Flyer
from glossary.models.groups import SessionPack

REFERENCE_DIR = Path(__file__).parent / "data" / "reference"
DPI = 30  # small pages: enough to see a layout change, fast to render and compare

# Per language (tests/data/document_corpus.json): the script it stands for, two agreed
# words, a usage note, a rules handout (title, paragraph with a date and a phone number,
# two bullets citing the words) and the flyer's fields; and the flyer in English.
_CORPUS_DATA = json.loads((Path(__file__).parent / "data" / "document_corpus.json")
                          .read_text(encoding="utf-8"))
CORPUS: dict[str, dict] = _CORPUS_DATA["corpus"]
FLYER_SOURCE: dict[str, str] = _CORPUS_DATA["flyer_source"]
ORDER = ["title", "what", "where_when", "confidentiality", "contact", "call_to_action"]
KINDS = ("glossary", "rules", "flyer-a4", "flyer-a5", "post")


def describe(tag):
    """Language names in English."""
    return language_names(tag, "en")


def pack_for(tag: str, *, draft: bool = False) -> SessionPack:
    """A session pack (not stored) with two agreed concepts in ``tag``."""
    words = CORPUS[tag]["words"]
    concepts = []
    for n, (key, source) in enumerate((("consent", "consent"),
                                       ("confidentiality", "confidentiality"))):
        rendering = {"text": words[n], "status": "preferred", "register": "neutral",
                     "back_translation": source, "usage_note": CORPUS[tag]["note"] if n == 0
                     else "", "no_equivalent": False, "paraphrase": ""}
        concepts.append({"key": key, "domain": "programme-rules",
                         "domain_name": "Programme rules", "source": [source],
                         "definition": f"What {source} means in the group.",
                         "state": "agreed", "fingerprint": f"en:{n}.1|{tag}:{n}.1",
                         "renderings": [rendering]})
    content = {"format": 1, "source_language": "en", "target_language": tag,
               "concepts": concepts}
    return SessionPack(id=7, group_id=1, source_language="en", target_language=tag,
                       content=content, content_hash=groups.content_hash(content),
                       concept_count=2, agreed_count=2, draft=draft,
                       created_at=datetime(2026, 6, 1, 9, tzinfo=UTC))


def handout(tag: str, *, draft: bool = False):
    """The handout context of the pack in ``tag``."""
    return handouts.handout_for(pack_for(tag, draft=draft), group_name="Tuesday group",
                                start_date=date(2026, 6, 1), describe=describe)


def rules_template(tag: str, folder: Path) -> Path:
    """A short ground-rules template in ``tag`` citing both concepts."""
    entry = CORPUS[tag]
    path = folder / f"rules.{tag}.md"
    path.write_text(f"# {entry['title']}\n\n{entry['text']}\n\n"
                    f"- {entry['bullets'][0]} {{{{concept:consent}}}}.\n"
                    f"- {entry['bullets'][1]} {{{{concept:confidentiality}}}}.\n",
                    encoding="utf-8")
    return path


def flyer_text(tag: str, *, layout: str = "a4", draft: bool = False) -> FlyerText:
    """The flyer in ``tag`` (A4, or ``a5-bilingual``)."""
    flyer = Flyer(id=1, name="Reference flyer", template="programme", layout=layout,
                  source_language="en", fields=FLYER_SOURCE)
    info = describe(tag)
    return FlyerText(flyer=flyer, translation=None, source=TextLanguage("en"),
                     target=TextLanguage(tag, info.rtl), source_fields=dict(FLYER_SOURCE),
                     target_fields=dict(CORPUS[tag]["flyer"]), order=ORDER, draft=draft,
                     fingerprint="0123456789abcdef0123456789abcdef")


def document(kind: str, tag: str) -> bytes:
    """The PDF (or, for ``post``, the PNG) of one document kind in ``tag``."""
    if kind == "glossary":
        return handouts.render_handout(handout(tag, draft=True), kind="glossary", fmt="pdf",
                                       describe=describe)
    if kind == "rules":
        with tempfile.TemporaryDirectory() as folder:
            rules_template(tag, Path(folder))
            return handouts.render_handout(handout(tag), kind="rules", fmt="pdf",
                                           describe=describe, template_dir=Path(folder))
    if kind == "post":
        return flyer_png(flyer_text(tag, draft=True), size="post")
    layout = "a5-bilingual" if kind == "flyer-a5" else "a4"
    return flyer_pdf(flyer_text(tag, layout=layout))


def first_page(data: bytes) -> Image.Image:
    """Page one of a PDF (or a PNG) as a small greyscale image."""
    if data.startswith(b"\x89PNG"):
        image = Image.open(io.BytesIO(data)).convert("L")
        return image.resize((image.width // 4, image.height // 4), Image.Resampling.BOX)
    png = subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-gray", "-png",
                          "-"], input=data, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def reference_path(kind: str, tag: str) -> Path:
    """Where the reviewed image of one document kind in one language is kept."""
    return REFERENCE_DIR / f"{kind}-{tag}.png"
