"""Benchmark: importing a 150,000-term glossary streaming, in one transaction.

Generates the file (50,000 concepts x English, Arabic, Dari): a TBX v3 DCA file, or
(``--format csv``) a spreadsheet with the headers people write ("English", "Arabic",
"Dari", "Arabic back translation", "Notes", "Category"), read through the guessed column
mapping. Then on a fresh SQLite database it measures the guess of the mapping (CSV), the
dry run, the import, and a re-import (which must change nothing), and prints a table
with wall and CPU time and the process's peak memory (ru_maxrss) after each step.
Targets: import under 60 s, peak memory under 400 MB.

    .venv/bin/python bench/bench_import.py [--concepts 50000] [--format tbx|csv]
                                           [--database URL]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DOMAINS = ("Sexual violence", "Legal concepts", "Emotions and mental health")


def generate(path: Path, concepts: int) -> int:
    """Write a TBX v3 file with ``concepts`` entries of three terms each; return terms."""
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tbx type="TBX-Basic" style="dca" '
                  'xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n<tbxHeader><fileDesc>'
                  '<sourceDesc><p>benchmark</p></sourceDesc></fileDesc></tbxHeader>\n'
                  '<text><body>\n')
        for n in range(concepts):
            out.write(
                f'<conceptEntry id="bench-{n}">'
                f'<descrip type="subjectField">{DOMAINS[n % 3]}</descrip>'
                f'<langSec xml:lang="en"><descrip type="definition">Definition number {n} '
                f'of a benchmark concept.</descrip><termSec><term>benchmark term {n}</term>'
                '<termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>'
                '</termSec></langSec>'
                f'<langSec xml:lang="ar"><termSec><term>مصطلح تجريبي {n}</term>'
                '<termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>'
                f'<note>Back-translation: trial term {n}</note></termSec></langSec>'
                f'<langSec xml:lang="fa-AF"><termSec><term>اصطلاح آزمایشی {n}</term>'
                '<termNote type="register">neutralRegister</termNote>'
                '<termNote type="partOfSpeech">noun</termNote></termSec></langSec>'
                '</conceptEntry>\n')
        out.write("</body></text></tbx>\n")
    return concepts * 3


def generate_csv(path: Path, concepts: int) -> int:
    """Write a CSV file with ``concepts`` rows of three wordings each, headers as people
    write them; return terms."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["English", "Arabic", "Dari", "Arabic back translation", "Notes",
                         "Category"])
        for n in range(concepts):
            writer.writerow([f"benchmark term {n}", f"مصطلح تجريبي {n}",
                             f"اصطلاح آزمایشی {n}", f"trial term {n}",
                             f"Definition number {n} of a benchmark concept.",
                             DOMAINS[n % 3]])
    return concepts * 3


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=50_000)
    parser.add_argument("--database", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--format", choices=("tbx", "csv"), default="tbx")
    args = parser.parse_args()

    from sqlmodel import Session, SQLModel

    from glossary import create_app
    from glossary.importers.plan import Source, apply_import, build_plan
    from glossary.importers.starter import load_domains

    with tempfile.TemporaryDirectory() as folder:
        tbx = Path(folder) / f"bench.{args.format}"
        started, cpu = time.perf_counter(), time.process_time()
        terms = (generate if args.format == "tbx" else generate_csv)(tbx, args.concepts)
        rows = [("generate file", time.perf_counter() - started, time.process_time() - cpu,
                 peak_mb(), f"{terms:,} terms, {tbx.stat().st_size / 1e6:.0f} MB")]
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"DATABASE_URL": url, "EXPORTS_DIR": str(Path(folder) / "exports")})
        engine = app.extensions["glossary_engine"]
        SQLModel.metadata.create_all(engine)
        with app.app_context(), Session(engine, expire_on_commit=False) as session:
            load_domains(session)
            source = Source(tbx, working="en")
            if args.format == "csv":
                started, cpu = time.perf_counter(), time.process_time()
                source.mapping = source.guess()
                roles = ", ".join(source.mapping.sheets[0].roles)
                rows.append(("guess the mapping", time.perf_counter() - started,
                             time.process_time() - cpu, peak_mb(), roles))
            for label, function in (("dry run (preview)", build_plan),
                                    ("import (one transaction)", apply_import),
                                    ("re-import (dry run)", build_plan)):
                started, cpu = time.perf_counter(), time.process_time()
                plan = function(session, entries=source, source=tbx.name, working="en")
                summary = plan.summary()
                note = (f"{summary['new_concept']:,} concepts, {summary['new_term']:,} "
                        f"renderings, {summary['unchanged']:,} unchanged, "
                        f"{summary['skipped']} skipped")
                rows.append((label, time.perf_counter() - started,
                             time.process_time() - cpu, peak_mb(), note))
        engine.dispose()

    # Wall time depends on what else the machine runs; CPU time of this process does not.
    print(f"{'step':<26} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}  result")
    for label, seconds, cpu_seconds, memory, note in rows:
        print(f"{label:<26} {seconds:>7.1f} {cpu_seconds:>7.1f} {memory:>8.0f}  {note}")


if __name__ == "__main__":
    main()
