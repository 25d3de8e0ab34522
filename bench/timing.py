"""Timing shared by the document benchmarks (bench_handouts.py, bench_typst.py).

Each render is called with the run's number so that it can print a document of its own:
Typst memoizes layout inside a process, and printing the same bytes again would time its
cache. Renders given together are timed in turns (A, B, A, B, ...), so that a change in
the machine's load hits all of them. CPU time is the process's (every thread); on a
machine shared with other work it is steadier than the wall time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def measure(renders: dict[str, Callable[[int], bytes]], runs: int) -> dict[str, dict]:
    """For each render: the wall time of its first run (number 0), the wall and CPU
    times of runs 1..``runs``, and the bytes of the last run."""
    out: dict[str, dict] = {}
    for name, render in renders.items():
        started = time.perf_counter()
        data = render(0)
        out[name] = {"first": time.perf_counter() - started, "wall": [], "cpu": [],
                     "data": data}
    for number in range(1, runs + 1):
        for name, render in renders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            out[name]["data"] = render(number)
            out[name]["wall"].append(time.perf_counter() - wall)
            out[name]["cpu"].append(time.process_time() - cpu)
    return out


HEADER = ("| document | engine | first run s | median s | median CPU s | pages | bytes |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: |")


def row(label: str, engine: str, result: dict, pages: str = "") -> str:
    """One line of the Markdown table under :data:`HEADER`."""
    return (f"| {label} | {engine} | {result['first']:.3f} | "
            f"{statistics.median(result['wall']):.3f} | {statistics.median(result['cpu']):.3f} "
            f"| {pages} | {len(result['data']):,} |")
