"""Benchmark of flyers: a two-page flyer (A5 bilingual, long texts) as PDF, DOCX and text.

Loads the demo into a temporary SQLite database, lengthens the working-language and the
Arabic and Ukrainian texts of ``Demo flyer`` until the A5 bilingual PDF runs to two
pages, then times each format. Prints a table: the first run (fonts loaded, templates
compiled), then the median wall and CPU time of the next runs.

    .venv/bin/python bench/bench_flyers.py            # ar and uk, 5 runs
    .venv/bin/python bench/bench_flyers.py --runs 10

Target (issue 4): a two-page flyer PDF in under 2 s on this machine.
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

from pypdf import PdfReader  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from glossary import create_app, flyers  # noqa: E402
from glossary.demo import load_demo  # noqa: E402
from glossary.exports.flyers import flyer_text, write_flyer  # noqa: E402


def lengthen(fields: dict[str, str], times: int) -> dict[str, str]:
    """Repeat the longer fields so that the flyer fills two A5 pages."""
    return {key: (" ".join([value] * times) if key in ("what", "audience", "confidentiality")
                  else value) for key, value in fields.items()}


def timed(action) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-flyers-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                      "EXPORTS_DIR": str(folder)})
    engine = app.extensions["glossary_engine"]
    SQLModel.metadata.create_all(engine)
    rows = []
    with app.test_request_context(), Session(engine, expire_on_commit=False) as session:
        load_demo(session, today=date.today())
        flyer = flyers.find_flyer(session, "Demo flyer")
        flyer.layout = "a5-bilingual"
        flyer.fields = lengthen(flyer.fields, 4)
        session.add(flyer)
        session.commit()
        for language in ("ar", "uk"):
            translation = flyers.get_translation(session, flyer, language)
            translation.fields = lengthen(translation.fields, 4)
            session.add(translation)
            session.commit()
            for fmt in ("pdf", "docx", "txt"):
                def run(fmt=fmt, language=language):
                    buffer = io.BytesIO()
                    write_flyer(session, flyer=flyer, language=language, fmt=fmt, draft=True,
                                target=buffer)
                    return buffer

                first = timed(run)
                walls, cpus = zip(*(timed(run) for _ in range(args.runs)), strict=True)
                pages = ""
                if fmt == "pdf":
                    pages = str(len(PdfReader(run()).pages))
                rows.append((language, fmt, pages, first[0], statistics.median(walls),
                             statistics.median(cpus)))
        assert flyer_text(session, flyer=flyer, language="ar", draft=True).bilingual
    engine.dispose()
    print(f"{'language':<9}{'format':<8}{'pages':>6}{'first s':>10}{'median s':>10}"
          f"{'cpu s':>8}")
    for language, fmt, pages, first, wall, cpu in rows:
        print(f"{language:<9}{fmt:<8}{pages:>6}{first:>10.3f}{wall:>10.3f}{cpu:>8.3f}")


if __name__ == "__main__":
    main()
