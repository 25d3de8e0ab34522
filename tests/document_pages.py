"""Every document kind in seven scripts, rendered to small PNG pages for the comparison
with reviewed reference images (tests/test_document_pages.py) and for refreshing them
(tests/refresh_references.py). No database: the handouts are printed from an in-memory
session pack, the flyers from a :class:`FlyerText` built here. Example text, not vetted.
"""

from __future__ import annotations

import io
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

# Per language: the script it stands for, two agreed words, a usage note, a rules
# handout (title, paragraph with a date and a phone number, two bullets citing the
# words) and the flyer's fields.
CORPUS = {
    "de": {"script": "latin", "words": ["Einvernehmen", "Vertraulichkeit"],
           "note": "Ruhig und deutlich sagen; Fragen an +49 30 1234567.",
           "title": "Regeln der Gruppe", "text": "Wir treffen uns ab 2026-06-01. "
           "Fragen: +49 30 1234567.", "bullets": ["Wir achten auf", "Alles bleibt in der "
                                                 "Gruppe:"],
           "flyer": {"title": "Eine Gruppe für Männer", "what": "Zwölf Treffen mit "
                     "Moderation und Dolmetschung.", "where_when": "Dienstags 18:00-20:00, "
                     "Hauptstraße 12", "confidentiality": "Was Sie sagen, bleibt in der "
                     "Gruppe.", "contact": "Anruf: +49 30 1234567",
                     "call_to_action": "Rufen Sie an. Veränderung ist möglich."}},
    "uk": {"script": "cyrillic", "words": ["згода", "конфіденційність"],
           "note": "Кажіть спокійно; питання: +49 30 1234567.",
           "title": "Правила групи", "text": "Зустрічі з 2026-06-01. Питання: "
           "+49 30 1234567.", "bullets": ["Ми поважаємо", "Усе лишається в групі:"],
           "flyer": {"title": "Група для чоловіків", "what": "Дванадцять зустрічей із "
                     "ведучими та перекладачем.", "where_when": "Щовівторка 18:00-20:00, "
                     "Головна вулиця 12", "confidentiality": "Усе сказане залишається в "
                     "групі.", "contact": "Телефон: +49 30 1234567",
                     "call_to_action": "Зателефонуйте нам. Зміни можливі."}},
    "ar": {"script": "arabic", "words": ["الموافقة", "السرية"],
           "note": "قلها بهدوء؛ للأسئلة اتصل على +49 30 1234567.",
           "title": "قواعد المجموعة", "text": "نلتقي ابتداءً من 2026-06-01. للأسئلة: "
           "+49 30 1234567.", "bullets": ["نحترم", "ما يقال يبقى في المجموعة:"],
           "flyer": {"title": "مجموعة للرجال", "what": "اثنتا عشرة جلسة مع ميسّرين ومترجم.",
                     "where_when": "أيام الثلاثاء 18:00-20:00، الشارع الرئيسي 12",
                     "confidentiality": "ما تقوله يبقى داخل المجموعة.",
                     "contact": "اتصل على +49 30 1234567",
                     "call_to_action": "اتصل بنا. التغيير ممكن."}},
    "fa": {"script": "persian", "words": ["رضایت", "محرمانگی"],
           "note": "آرام بگویید؛ سؤال‌ها: +49 30 1234567.",
           "title": "قواعد گروه", "text": "از 2026-06-01 دیدار می‌کنیم. سؤال‌ها: "
           "+49 30 1234567.", "bullets": ["ما احترام می‌گذاریم به", "آنچه گفته می‌شود در "
                                          "گروه می‌ماند:"],
           "flyer": {"title": "گروهی برای مردان", "what": "دوازده جلسه با تسهیل‌گر و مترجم.",
                     "where_when": "سه‌شنبه‌ها 18:00-20:00، خیابان اصلی 12",
                     "confidentiality": "آنچه می‌گویید در گروه می‌ماند.",
                     "contact": "تماس: +49 30 1234567",
                     "call_to_action": "با ما تماس بگیرید. تغییر ممکن است."}},
    "ur": {"script": "urdu", "words": ["رضامندی", "رازداری"],
           "note": "آرام سے کہیں؛ سوالات کے لیے +49 30 1234567 پر فون کریں۔",
           "title": "گروپ کے اصول", "text": "ہم 2026-06-01 سے ملتے ہیں۔ سوالات: "
           "+49 30 1234567۔", "bullets": ["ہم احترام کرتے ہیں", "جو کہا جائے وہ گروپ میں "
                                          "رہتا ہے:"],
           "flyer": {"title": "مردوں کے لیے ایک گروپ", "what": "سہولت کاروں اور مترجم کے ساتھ "
                     "بارہ ملاقاتیں۔", "where_when": "منگل 18:00-20:00، مین اسٹریٹ 12",
                     "confidentiality": "آپ جو کہتے ہیں وہ گروپ میں رہتا ہے۔",
                     "contact": "فون: +49 30 1234567",
                     "call_to_action": "ہم سے رابطہ کریں۔ تبدیلی ممکن ہے۔"}},
    "ckb": {"script": "sorani", "words": ["ڕەزامەندی", "نهێنی"],
            "note": "بە ئارامی بیڵێ؛ پرسیار: +49 30 1234567.",
            "title": "یاساکانی گرووپ", "text": "لە 2026-06-01 کۆدەبینەوە. پرسیار: "
            "+49 30 1234567.", "bullets": ["ڕێز دەگرین لە", "ئەوەی دەوترێت لە گرووپدا "
                                           "دەمێنێتەوە:"],
            "flyer": {"title": "گرووپێک بۆ پیاوان", "what": "دوازدە دانیشتن لەگەڵ "
                      "ڕێکخەر و وەرگێڕ.", "where_when": "سێشەممە 18:00-20:00، شەقامی "
                      "سەرەکی 12", "confidentiality": "ئەوەی دەیڵێیت لە گرووپدا دەمێنێتەوە.",
                      "contact": "پەیوەندی: +49 30 1234567",
                      "call_to_action": "پەیوەندیمان پێوە بکە. گۆڕان دەکرێت."}},
    "ti": {"script": "ethiopic", "words": ["ፍቓድ", "ምስጢር"],
           "note": "ብህድኣት ተዛረብ፤ ሕቶታት: +49 30 1234567።",
           "title": "ሕግታት ጉጅለ", "text": "ካብ 2026-06-01 ንራኸብ። ሕቶታት: +49 30 1234567።",
           "bullets": ["ነኽብር", "ዝበሃል ኣብ ጉጅለ ይተርፍ:"],
           "flyer": {"title": "ጉጅለ ንሰብኡት", "what": "ዓሰርተ ክልተ ኣኼባታት ምስ ኣወሃሃድትን "
                     "ተርጓሚን።", "where_when": "ሰሉስ 18:00-20:00፣ ቀንዲ ጎደና 12",
                     "confidentiality": "ዝበልካዮ ኣብ ጉጅለ ይተርፍ።",
                     "contact": "ስልኪ: +49 30 1234567",
                     "call_to_action": "ደውሉልና። ለውጢ ይከኣል እዩ።"}},
}
FLYER_SOURCE = {"title": "A group for men", "what": "Twelve sessions with facilitators and "
                "an interpreter.", "where_when": "Tuesdays 18:00-20:00, Main Street 12",
                "confidentiality": "What you say stays in the group.",
                "contact": "Call +49 30 1234567", "call_to_action": "Call us. Change is "
                "possible."}
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
                     target=TextLanguage(tag, info.rtl), source_fields=FLYER_SOURCE,
                     target_fields=CORPUS[tag]["flyer"], order=ORDER, draft=draft,
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
