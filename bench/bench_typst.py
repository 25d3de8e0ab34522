"""Benchmark of the Typst documents (issue 15): the 300-concept handout PDF, Typst against
WeasyPrint in the same run; the demo flyer as PDF (A4 and A5 bilingual) and as social
images (post 1080 x 1080, story 1080 x 1920).

The handout is the synthetic pack of bench/bench_handouts.py (no database). The flyer is
the demo flyer, loaded into a temporary SQLite database. The two engines are timed in
turns (Typst, WeasyPrint, Typst, ...) so that a change in the machine's load hits both.
Every run prints a document of its own (a number added to each definition or field):
Typst memoizes layout within a process, and printing the same bytes again would measure
its cache, not a new document.
Prints a Markdown table: the first run, then the median wall and CPU time of ``--runs``
more, pages and bytes.

    .venv/bin/python bench/bench_typst.py                     # ar fa-AF ti uk ur; 5 runs
    .venv/bin/python bench/bench_typst.py --runs 9 --language ar

The WeasyPrint column needs WeasyPrint and the HTML templates, which left the project
with this issue: without them only Typst is timed (the comparison is in
bench/RESULTS.md). Targets: handout median <= 0.3 s and >= 10x faster than WeasyPrint;
flyer PDF <= 0.2 s; social image <= 0.2 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handouts import WORDS, describe, pack_for  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from glossary import create_app, flyers, groups  # noqa: E402
from glossary.demo import load_demo  # noqa: E402
from glossary.exports import handouts  # noqa: E402
from glossary.exports.flyers import flyer_pdf, flyer_png, flyer_text  # noqa: E402

WORDS.setdefault("ur", ["رضامندی", "تشدد", "گھریلو", "غصہ", "تحفظ", "رازداری", "شرم"])


def weasyprint_glossary():
    """The glossary sheet through WeasyPrint as it was before this issue, or None when
    WeasyPrint or its templates are gone."""
    try:
        import weasyprint  # noqa: F401

        from glossary.exports import document as engine
        from glossary.exports import handout_glossary as sheet
        from glossary.exports.handout_context import _meta_line, _usable
        render_html, write_pdf = engine.render_html, engine.write_pdf
    except (ImportError, AttributeError):
        return None

    def render(h):
        html = render_html(
            "exports/glossary_sheet.html", h=h, model=sheet.glossary_model(h.pack.content),
            title="Glossary: " + h.group_name, title_spans=sheet.glossary_title(h),
            meta=_meta_line(h), state_names=sheet.STATE_NAMES,
            register_names=sheet.REGISTER_NAMES, usable=_usable,
            free_lang=lambda text, default: h.free_language(text))
        return write_pdf(html)

    return render


def handout_version(language: str, concepts: int, number: int):
    """The benchmark handout, with ``number`` added to every definition."""
    pack = pack_for(language, concepts)
    for concept in pack.content["concepts"]:
        concept["definition"] += f" ({number})"
    pack.content_hash = groups.content_hash(pack.content)
    return handouts.handout_for(pack, group_name="Benchmark group",
                                start_date=date(2026, 6, 15), describe=describe)


def flyer_versions(session, flyer, language: str, runs: int) -> list:
    """The flyer's text ``runs + 1`` times, each with its number added to every field."""
    texts = []
    for number in range(runs + 1):
        text = flyer_text(session, flyer=flyer, language=language, draft=False)
        text.target_fields = {k: f"{v} {number}" for k, v in text.target_fields.items()}
        text.source_fields = {k: f"{v} {number}" for k, v in text.source_fields.items()}
        texts.append(text)
    return texts


def measure(renders: dict, runs: int) -> dict:
    """First run and per-run wall and CPU times of each render (called with the run's
    number, for a document of its own), taken in turns."""
    out = {}
    for name, render in renders.items():
        started = time.perf_counter()
        data = render(0)
        out[name] = {"first": time.perf_counter() - started, "wall": [], "cpu": [],
                     "data": data}
    for number in range(1, runs + 1):
        for name, render in renders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            render(number)
            out[name]["wall"].append(time.perf_counter() - wall)
            out[name]["cpu"].append(time.process_time() - cpu)
    return out


def row(label: str, engine: str, result: dict, pages: str = "") -> str:
    data = result["data"]
    return (f"| {label} | {engine} | {result['first']:.3f} | "
            f"{statistics.median(result['wall']):.3f} | {statistics.median(result['cpu']):.3f} "
            f"| {pages} | {len(data):,} |")


def pdf_pages(data: bytes) -> str:
    return str(len(PdfReader(io.BytesIO(data)).pages))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", action="append", choices=sorted(WORDS))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-typst-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                      "EXPORTS_DIR": str(folder)})
    weasy = weasyprint_glossary()
    print(f"{args.concepts}-concept handout; median of {args.runs} runs after the first\n")
    print("| document | engine | first run s | median s | median CPU s | pages | bytes |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    with app.test_request_context():
        for language in args.language or ["ar", "fa-AF", "ti", "uk", "ur"]:
            versions = [handout_version(language, args.concepts, n)
                        for n in range(args.runs + 1)]
            renders = {"Typst": lambda n, hs=versions: handouts.render_handout(
                hs[n], kind="glossary", fmt="pdf", describe=describe)}
            if weasy is not None:
                renders["WeasyPrint"] = lambda n, hs=versions: weasy(hs[n])
            results = measure(renders, args.runs)
            for name, result in results.items():
                print(row(f"handout {language}", name, result, pdf_pages(result["data"])))
            if weasy is not None:
                ratio = (statistics.median(results["WeasyPrint"]["wall"])
                         / statistics.median(results["Typst"]["wall"]))
                print(f"| handout {language} | ratio | | {ratio:.0f}x | | | |")
        engine = app.extensions["glossary_engine"]
        SQLModel.metadata.create_all(engine)
        with Session(engine, expire_on_commit=False) as session:
            load_demo(session, today=date.today())
            flyer = flyers.find_flyer(session, "Demo flyer")
            for layout in ("a4", "a5-bilingual"):
                flyer.layout = layout
                for language in ("ar", "uk"):
                    texts = flyer_versions(session, flyer, language, args.runs)
                    result = measure({"Typst": lambda n, ts=texts: flyer_pdf(ts[n])}, args.runs)
                    print(row(f"flyer {language} {layout} PDF", "Typst", result["Typst"],
                              pdf_pages(result["Typst"]["data"])))
            for language in ("ar", "uk"):
                texts = flyer_versions(session, flyer, language, args.runs)
                for size in ("post", "story"):
                    result = measure({"Typst": lambda n, ts=texts, s=size: flyer_png(
                        ts[n], size=s)}, args.runs)
                    print(row(f"flyer {language} {size} PNG", "Typst", result["Typst"]))
        engine.dispose()


if __name__ == "__main__":
    main()
