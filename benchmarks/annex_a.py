"""The whole Annex A workbook (Lists 1-7) for a council of 100,000 children (target: under
10 seconds and under 1 GB).

``python -m benchmarks annex_a``. Seeds the synthetic council (front door and casework, 12
months) into a fresh database (SQLite, and PostgreSQL when DATABASE_URL points at one). Then,
in a new process (so its peak memory is the export's, not the seeding's), writes the workbook
three times and prints the best and median seconds and the export process's own CPU seconds
(which a busy machine does not inflate; the database's share is not in it), then each list's
rows, own seconds and peak Python memory (tracemalloc, one list at a time), the cells
written in all and the process's peak resident memory. BENCH_ANNEX_A_CHILDREN changes the
size.
"""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

CHILDREN = int(os.environ.get("BENCH_ANNEX_A_CHILDREN", "100000"))
REPEATS = 3


def seed(children: int) -> dict[str, Any]:
    """Runs inside Django (a child process): the synthetic council with its casework."""
    from django.core.management import call_command

    from evident.casework.models import Episode
    from evident.synthetic.council import seed_council

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed_council(children=children, months=12, seed=1, progress=None)
    return {"seconds": time.perf_counter() - started, "episodes": Episode.objects.count()}


def measure() -> dict[str, Any]:
    """Runs inside Django (a fresh child process): the export's time and memory."""
    from django.utils import timezone

    from evident.performance.annex_a import annex_a_lists
    from evident.performance.annex_a.writer import annex_a_workbook_write

    as_of = timezone.localdate()
    lists = annex_a_lists()
    whole: list[float] = []
    cpu: list[float] = []
    per_list: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "annex-a.xlsx"
        for _ in range(REPEATS):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = annex_a_workbook_write(as_of=as_of, out=out)
            whole.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        size = out.stat().st_size
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for definition in lists:
            started = time.perf_counter()
            annex_a_workbook_write(as_of=as_of, out=out, lists=[definition])
            seconds = time.perf_counter() - started
            tracemalloc.start()
            annex_a_workbook_write(as_of=as_of, out=out, lists=[definition])
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            per_list[definition.sheet] = {"seconds": seconds, "peak_mb": peak / 1e6}
        tracemalloc.start()
        annex_a_workbook_write(as_of=as_of, out=out)
        whole_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    columns = {definition.sheet: len(definition.columns) for definition in lists}
    return {
        "rows": result.rows,
        "cells": sum(rows * columns[sheet] for sheet, rows in result.rows.items()),
        "bytes": size,
        "whole": whole,
        "cpu": cpu,
        "whole_peak_mb": whole_peak,
        "rss_mb": rss_mb,
        "lists": per_list,
    }


def run() -> None:
    print(f"Annex A workbook (Lists 1-7) for {CHILDREN:,} children, {REPEATS} runs")
    results: dict[str, dict[str, Any]] = {}
    for target in database_targets():
        with fresh_database(target) as url:
            print(f"-- {target} (seeding first)", flush=True)
            seeded = run_in_django(url, "benchmarks.annex_a:seed", children=CHILDREN)
            results[target] = {**run_in_django(url, "benchmarks.annex_a:measure"), "seed": seeded}
    targets = list(results)
    sheets = list(results[targets[0]]["rows"])

    def secs(values: list[float]) -> str:
        return f"{min(values):.2f} / {statistics.median(values):.2f} s"

    rows: list[tuple[str, list[str]]] = [
        ("seeding (not counted)", [f"{results[t]['seed']['seconds']:.1f} s" for t in targets]),
        (
            "casework episodes in the seeded council",
            [f"{results[t]['seed']['episodes']:,}" for t in targets],
        ),
    ]
    for sheet in sheets:
        rows.append(
            (
                f"{sheet}: rows, seconds, peak Python memory",
                [
                    f"{results[t]['rows'][sheet]:,}, {results[t]['lists'][sheet]['seconds']:.2f} s,"
                    f" {results[t]['lists'][sheet]['peak_mb']:.0f} MB"
                    for t in targets
                ],
            )
        )
    rows += [
        ("workbook size", [f"{results[t]['bytes'] / 1e6:.1f} MB" for t in targets]),
        ("cells written (rows x columns)", [f"{results[t]['cells']:,}" for t in targets]),
        ("whole workbook, best / median", [secs(results[t]["whole"]) for t in targets]),
        (
            "whole workbook, CPU of the export process, best",
            [f"{min(results[t]['cpu']):.2f} s" for t in targets],
        ),
        (
            "whole workbook, peak Python memory",
            [f"{results[t]['whole_peak_mb']:.0f} MB" for t in targets],
        ),
        (
            "export process peak resident memory",
            [f"{results[t]['rss_mb']:.0f} MB" for t in targets],
        ),
    ]
    print(table(targets, rows))
