"""Benchmark of handouts: a 300-concept bilingual glossary sheet as DOCX and as PDF.

Handouts are printed from a session pack's frozen content, so no database is needed: a
synthetic pack (300 agreed concepts over the seven domains, one or two renderings each,
back-translations and usage notes, every tenth a "no direct equivalent" paraphrase and
every fifteenth with an "avoid" rendering) is built in memory and rendered. Prints a
table: the first run (fonts loaded, templates compiled), then the medians of the wall and
CPU time of the next runs.

    .venv/bin/python bench/bench_handouts.py                  # ar, fa-AF, ti, uk; 300
    .venv/bin/python bench/bench_handouts.py --concepts 600 --runs 3 --language ar

Targets (issue 3): DOCX under 0.5 s, PDF under 3 s on this machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

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
         "uk": ["згода", "насильство", "домашнє", "гнів", "захист", "таємниця", "сором"]}


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


def time_runs(render, runs: int) -> tuple[float, float, float, bytes]:
    """Wall time of the first run, then the medians of wall and CPU time of ``runs``
    more (CPU time is steadier on a machine shared with other work)."""
    started = time.perf_counter()
    data = render()
    first = time.perf_counter() - started
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        data = render()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return first, statistics.median(wall), statistics.median(cpu), data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", action="append", choices=sorted(WORDS))
    args = parser.parse_args()
    print(f"{args.concepts} concepts; median of {args.runs} runs after the first\n")
    print("| language | format | first run s | median s | median CPU s | pages | bytes |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for language in args.language or ["ar", "fa-AF", "ti", "uk"]:
        handout = handouts.handout_for(pack_for(language, args.concepts),
                                       group_name="Benchmark group",
                                       start_date=date(2026, 6, 15), describe=describe)
        for fmt in ("docx", "pdf"):
            first, median, cpu, data = time_runs(
                lambda handout=handout, fmt=fmt: handouts.render_handout(
                    handout, kind="glossary", fmt=fmt, describe=describe), args.runs)
            pages = len(PdfReader(io.BytesIO(data)).pages) if fmt == "pdf" else ""
            print(f"| {language} | {fmt} | {first:.2f} | {median:.2f} | {cpu:.2f} | {pages} | "
                  f"{len(data):,} |")


if __name__ == "__main__":
    main()
