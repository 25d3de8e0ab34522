"""Benchmark of handouts: a 300-concept bilingual glossary sheet as DOCX and as PDF.

Handouts are printed from a session pack's frozen content, so no database is needed: a
synthetic pack (300 agreed concepts over the seven domains, one or two renderings each,
back-translations and usage notes, every tenth a "no direct equivalent" paraphrase and
every fifteenth with an "avoid" rendering) is built in memory and rendered. Prints a
table: the first run (fonts loaded and, for DOCX, subset; templates compiled), then the
medians of the wall and CPU time of the next runs, each printing a document of its own.

    .venv/bin/python bench/bench_handouts.py                  # ar fa-AF ti uk ur; 300
    .venv/bin/python bench/bench_handouts.py --concepts 600 --runs 3 --language ar

Targets (issue 15): PDF median <= 0.3 s; DOCX with embedded fonts <= 0.3 s.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pypdf import PdfReader  # noqa: E402
from timing import HEADER, measure, row  # noqa: E402

from glossary import groups  # noqa: E402
from glossary.exports import handouts  # noqa: E402
from glossary.languages import describe as language_names  # noqa: E402
from glossary.models.groups import SessionPack  # noqa: E402

DOMAINS = [("sexual-violence", "Sexual violence"), ("body-sexual-health", "Body and sexual health"),
           ("legal", "Legal concepts"), ("gender-relationships", "Gender roles and relationships"),
           ("emotions", "Emotions and mental health"), ("programme-rules", "Programme rules"),
           ("services-referral", "Services and referral")]
WORDS = {"ar": ["الموافقة", "العنف", "الأسري", "الغضب", "الحماية", "السرية", "الخجل"],
         "fa-AF": ["رضایت", "خشونت", "خانوادگی", "خشم", "حمایت", "محرمانه", "شرم"],
         "ti": ["ፍቓድ", "ዓመጽ", "ስድራ", "ሕርቃን", "ሓለዋ", "ምስጢር", "ሕፍረት"],
         "uk": ["згода", "насильство", "домашнє", "гнів", "захист", "таємниця", "сором"],
         "ur": ["رضامندی", "تشدد", "گھریلو", "غصہ", "تحفظ", "رازداری", "شرم"]}


def synthetic_content(language: str, concepts: int) -> dict:
    """Pack content of ``concepts`` agreed concepts in ``language``."""
    words = WORDS[language]
    entries = []
    for i in range(concepts):
        domain_key, domain_name = DOMAINS[i % len(DOMAINS)]
        text = " ".join(words[(i + k) % len(words)] for k in range(1 + i % 3))
        rendering = {"text": text, "status": "preferred", "register": "neutral",
                     "back_translation": f"literal meaning of concept {i}",
                     "usage_note": "Say it plainly; call +49 30 1234567 with questions."
                     if i % 4 == 0 else "", "no_equivalent": i % 10 == 0,
                     "paraphrase": f"{text} {words[i % len(words)]}" if i % 10 == 0 else ""}
        renderings = [rendering]
        if i % 3 == 0:
            renderings.append(dict(rendering, status="admitted", text=words[(i + 3) % 7],
                                   no_equivalent=False, paraphrase="", usage_note=""))
        if i % 15 == 0:
            renderings.append(dict(rendering, status="deprecated", text=words[(i + 5) % 7],
                                   no_equivalent=False, paraphrase="",
                                   usage_note="Vulgar in most regions."))
        entries.append({"key": f"concept-{i:04d}", "domain": domain_key,
                        "domain_name": domain_name, "source": [f"concept number {i}"],
                        "definition": f"Definition of concept number {i}: a sentence of "
                        "ordinary length that explains what the word means in the group.",
                        "state": "agreed", "fingerprint": f"en:{i}.1|{language}:{i}.1",
                        "renderings": renderings})
    entries.sort(key=lambda e: ([d for d, _n in DOMAINS].index(e["domain"]), e["key"]))
    return {"format": 1, "source_language": "en", "target_language": language,
            "concepts": entries}


def pack_for(language: str, concepts: int) -> SessionPack:
    """A pack object (not stored) holding the synthetic content."""
    content = synthetic_content(language, concepts)
    return SessionPack(id=1, group_id=1, source_language="en", target_language=language,
                       content=content, content_hash=groups.content_hash(content),
                       concept_count=concepts, agreed_count=concepts,
                       created_at=datetime(2026, 6, 1, 9, tzinfo=UTC))


def describe(tag):
    return language_names(tag, "en")


def handout_version(language: str, concepts: int, number: int):
    """The benchmark handout, with ``number`` added to every definition: a document of
    its own for each run (see bench/timing.py)."""
    pack = pack_for(language, concepts)
    for concept in pack.content["concepts"]:
        concept["definition"] += f" ({number})"
    pack.content_hash = groups.content_hash(pack.content)
    return handouts.handout_for(pack, group_name="Benchmark group",
                                start_date=date(2026, 6, 15), describe=describe)


def pdf_pages(data: bytes) -> str:
    return str(len(PdfReader(io.BytesIO(data)).pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", action="append", choices=sorted(WORDS))
    args = parser.parse_args()
    print(f"{args.concepts} concepts; median of {args.runs} runs after the first, DOCX and "
          "PDF in turns, a fresh document each run\n")
    print(HEADER)
    for language in args.language or ["ar", "fa-AF", "ti", "uk", "ur"]:
        versions = [handout_version(language, args.concepts, n) for n in range(args.runs + 1)]
        results = measure({fmt: lambda n, fmt=fmt, versions=versions: handouts.render_handout(
            versions[n], kind="glossary", fmt=fmt, describe=describe)
            for fmt in ("docx", "pdf")}, args.runs)
        for fmt, result in results.items():
            pages = pdf_pages(result["data"]) if fmt == "pdf" else ""
            print(row(f"handout {language} {fmt}", "python-docx" if fmt == "docx" else "Typst",
                      result, pages))


if __name__ == "__main__":
    main()
