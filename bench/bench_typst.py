"""Benchmark of the documents of issue 15: the 300-concept handout PDF; the demo flyer as
PDF and DOCX (A4 and A5 bilingual) and as social images (post 1080 x 1080, story
1080 x 1920).

The handout is the synthetic pack of bench/bench_handouts.py (no database). The flyer is
the demo flyer, loaded into a temporary SQLite database. Every run prints a document of
its own (a number added to each definition or field; see bench/timing.py). Prints a
Markdown table: the first run, then the median wall and CPU time of ``--runs`` more,
pages and bytes.

    .venv/bin/python bench/bench_typst.py                     # ar fa-AF ti uk ur; 5 runs
    .venv/bin/python bench/bench_typst.py --runs 9 --language ar

WeasyPrint left the project with this issue; bench/bench_weasyprint_compare.py times it
(from a checkout of its last commit, in a virtualenv of its own) against Typst in one run.
Targets: handout median
<= 0.3 s and >= 10x faster than WeasyPrint; flyer PDF <= 0.2 s; social image <= 0.2 s;
DOCX with embedded fonts <= 0.3 s.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handouts import WORDS, describe, handout_version, pdf_pages  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402
from timing import HEADER, measure, row  # noqa: E402

from glossary import create_app, flyers  # noqa: E402
from glossary.demo import load_demo  # noqa: E402
from glossary.exports import handouts  # noqa: E402
from glossary.exports.flyers import flyer_docx, flyer_pdf, flyer_png, flyer_text  # noqa: E402


def flyer_versions(session, flyer, language: str, runs: int) -> list:
    """The flyer's text ``runs + 1`` times, each with its number added to every field."""
    texts = []
    for number in range(runs + 1):
        text = flyer_text(session, flyer=flyer, language=language, draft=False)
        text.target_fields = {k: f"{v} {number}" for k, v in text.target_fields.items()}
        text.source_fields = {k: f"{v} {number}" for k, v in text.source_fields.items()}
        texts.append(text)
    return texts


def docx_bytes(text) -> bytes:
    out = io.BytesIO()
    flyer_docx(text, out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", action="append", choices=sorted(WORDS))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-typst-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                      "EXPORTS_DIR": str(folder)})
    print(f"{args.concepts}-concept handout; median of {args.runs} runs after the first\n")
    print(HEADER)
    with app.test_request_context():
        for language in args.language or ["ar", "fa-AF", "ti", "uk", "ur"]:
            versions = [handout_version(language, args.concepts, n)
                        for n in range(args.runs + 1)]
            result = measure({"Typst": lambda n, hs=versions: handouts.render_handout(
                hs[n], kind="glossary", fmt="pdf", describe=describe)}, args.runs)["Typst"]
            print(row(f"handout {language}", "Typst", result, pdf_pages(result["data"])))
        engine = app.extensions["glossary_engine"]
        SQLModel.metadata.create_all(engine)
        with Session(engine, expire_on_commit=False) as session:
            load_demo(session, today=date.today())
            flyer = flyers.find_flyer(session, "Demo flyer")
            for layout in ("a4", "a5-bilingual"):
                flyer.layout = layout
                for language in ("ar", "uk"):
                    texts = flyer_versions(session, flyer, language, args.runs)
                    result = measure({"Typst": lambda n, ts=texts: flyer_pdf(ts[n]),
                                      "python-docx": lambda n, ts=texts: docx_bytes(ts[n])},
                                     args.runs)
                    print(row(f"flyer {language} {layout} PDF", "Typst", result["Typst"],
                              pdf_pages(result["Typst"]["data"])))
                    print(row(f"flyer {language} {layout} DOCX", "python-docx",
                              result["python-docx"]))
            for language in ("ar", "uk"):
                texts = flyer_versions(session, flyer, language, args.runs)
                for size in ("post", "story"):
                    result = measure({"Typst": lambda n, ts=texts, s=size: flyer_png(
                        ts[n], size=s)}, args.runs)
                    print(row(f"flyer {language} {size} PNG", "Typst", result["Typst"]))
        engine.dispose()


if __name__ == "__main__":
    main()
