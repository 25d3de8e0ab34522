"""The 300-concept handout PDF through Typst (this checkout) against WeasyPrint (the last
commit that had it), in the same run, in turns, on the same data (issue 15: Typst at
least 10x faster).

WeasyPrint left the project, and nothing here needs it: the WeasyPrint side runs in a
subprocess (bench/weasyprint_worker.py) with the Python of a separate virtualenv in which
a checkout of commit 7cc1f42 (the last with the WeasyPrint sheet) is installed. Pango and
HarfBuzz must be installed on the machine for that virtualenv only:

    git worktree add --detach /work/wt/weasy 7cc1f42
    python3 -m venv /work/weasy-venv
    /work/weasy-venv/bin/pip install -e /work/wt/weasy pypdf
    PYTHONPATH=$PWD .venv/bin/python bench/bench_weasyprint_compare.py \\
        --weasy-checkout /work/wt/weasy --weasy-python /work/weasy-venv/bin/python

Each run prints a document of its own on both sides (the run's number added to every
definition, as bench_typst does; Typst memoizes layout within a process). Both sides are
timed from the pack content to the PDF bytes: the pack and handout context, then the
HTML and WeasyPrint's layout, or the data and Typst's layout. The pack content is built
here and sent to the worker, so both print the same synthetic pack of bench_handouts.py.
Prints a Markdown table per language: first run, median wall and CPU seconds, pages and
bytes, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_handouts import WORDS, describe, pdf_pages, synthetic_content  # noqa: E402
from timing import HEADER, row  # noqa: E402

from glossary import create_app, groups  # noqa: E402
from glossary.exports import handouts  # noqa: E402
from glossary.models.groups import SessionPack  # noqa: E402

WORKER = Path(__file__).resolve().parent / "weasyprint_worker.py"


def content_version(language: str, concepts: int, number: int) -> dict:
    """The synthetic pack content with ``number`` added to every definition."""
    content = synthetic_content(language, concepts)
    for concept in content["concepts"]:
        concept["definition"] += f" ({number})"
    return content


def typst_pdf(language: str, content: dict) -> bytes:
    """The sheet through Typst, from the pack content (as the WeasyPrint side does)."""
    pack = SessionPack(id=1, group_id=1, source_language="en", target_language=language,
                       content=content, content_hash=groups.content_hash(content),
                       concept_count=len(content["concepts"]),
                       agreed_count=len(content["concepts"]),
                       created_at=datetime(2026, 6, 1, 9, tzinfo=UTC))
    h = handouts.handout_for(pack, group_name="Benchmark group", start_date=date(2026, 6, 15),
                             describe=describe)
    return handouts.render_handout(h, kind="glossary", fmt="pdf", describe=describe)


class Weasy:
    """The worker process: one request, one answer, in turns with Typst."""

    def __init__(self, python: str, checkout: str):
        # The worker imports the old checkout's glossary, never this one's.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        self.process = subprocess.Popen([python, str(WORKER), checkout], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1, env=env)
        ready = self.process.stdout.readline()
        if not ready.strip():
            raise SystemExit("the WeasyPrint worker did not start (see the error above)")

    def render(self, language: str, content: dict) -> tuple[float, float, bytes]:
        self.process.stdin.write(json.dumps({"language": language, "content": content}) + "\n")
        answer = json.loads(self.process.stdout.readline())
        return answer["wall"], answer["cpu"], base64.b64decode(answer["pdf"])

    def close(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.close()
        self.process.wait(timeout=60)


def compare(weasy: Weasy, language: str, concepts: int, runs: int) -> dict[str, dict]:
    """Typst and WeasyPrint in turns: run 0 is the first (warm-up) run, then ``runs``."""
    out = {name: {"first": 0.0, "wall": [], "cpu": [], "data": b""}
           for name in ("Typst", "WeasyPrint")}
    for number in range(runs + 1):
        content = content_version(language, concepts, number)
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = typst_pdf(language, copy.deepcopy(content))
        typst_times = (time.perf_counter() - wall, time.process_time() - cpu)
        weasy_wall, weasy_cpu, weasy_pdf = weasy.render(language, content)
        for name, (w, c), data in (("Typst", typst_times, pdf),
                                   ("WeasyPrint", (weasy_wall, weasy_cpu), weasy_pdf)):
            out[name]["data"] = data
            if number == 0:
                out[name]["first"] = w
            else:
                out[name]["wall"].append(w)
                out[name]["cpu"].append(c)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weasy-checkout", required=True,
                        help="a checkout of commit 7cc1f42 (WeasyPrint's last)")
    parser.add_argument("--weasy-python", required=True,
                        help="the Python of a virtualenv with that checkout installed")
    parser.add_argument("--concepts", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", action="append", choices=sorted(WORDS))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
                      "EXPORTS_DIR": str(folder)})
    weasy = Weasy(args.weasy_python, args.weasy_checkout)
    print(f"{args.concepts}-concept handout PDF; median of {args.runs} runs after the first, "
          "Typst and WeasyPrint in turns, a fresh document each run\n")
    print(HEADER)
    ratios = []
    try:
        with app.test_request_context():
            for language in args.language or ["ar", "fa-AF", "ti", "uk", "ur"]:
                results = compare(weasy, language, args.concepts, args.runs)
                for name in ("Typst", "WeasyPrint"):
                    print(row(f"handout {language}", name, results[name],
                              pdf_pages(results[name]["data"])), flush=True)
                wall = (statistics.median(results["WeasyPrint"]["wall"])
                        / statistics.median(results["Typst"]["wall"]))
                cpu = (statistics.median(results["WeasyPrint"]["cpu"])
                       / statistics.median(results["Typst"]["cpu"]))
                ratios.append((language, wall, cpu))
                print(f"| handout {language} | ratio | | {wall:.1f}x | {cpu:.1f}x (CPU) | | |",
                      flush=True)
    finally:
        weasy.close()
    print("\nWeasyPrint / Typst, median wall (CPU): " + ", ".join(
        f"{language} {wall:.1f}x ({cpu:.1f}x)" for language, wall, cpu in ratios))


if __name__ == "__main__":
    main()
