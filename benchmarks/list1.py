"""Annex A List 1 for a council of 100,000 children (target: under 3 seconds).

``python -m benchmarks list1``. Seeds 100,000 children over 12 months into a fresh database
(SQLite, and PostgreSQL when DATABASE_URL points at one), then writes the Annex A workbook
three times and prints the rows and the best and median seconds, with the indicator's
13-month trend for the same council beside it. BENCH_LIST1_CHILDREN changes the size.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

CHILDREN = int(os.environ.get("BENCH_LIST1_CHILDREN", "100000"))
REPEATS = 3


def measure(children: int) -> dict[str, Any]:
    """Runs inside Django (the child process)."""
    from django.core.management import call_command
    from django.utils import timezone

    from evident.performance.annex_a.writer import annex_a_workbook_write
    from evident.performance.indicators.base import indicator_months
    from evident.performance.indicators.registry import indicator_get
    from evident.synthetic.council import seed_council

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed_council(children=children, months=12, seed=1, progress=None)
    seeded = time.perf_counter() - started

    as_of = timezone.localdate()
    list_seconds: list[float] = []
    rows = 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(REPEATS):
            out = Path(folder) / "annex-a.xlsx"
            started = time.perf_counter()
            result = annex_a_workbook_write(as_of=as_of, out=out)
            list_seconds.append(time.perf_counter() - started)
            rows = result.rows["List 1"]
            size = out.stat().st_size

    indicator = indicator_get("contact-decisions-on-time")
    if indicator is None:
        raise RuntimeError("the contact-decisions-on-time indicator is not registered")
    trend_seconds: list[float] = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        indicator_months(indicator)
        trend_seconds.append(time.perf_counter() - started)
    return {
        "seed": seeded,
        "rows": rows,
        "bytes": size,
        "list1": list_seconds,
        "trend": trend_seconds,
    }


def run() -> None:
    print(f"Annex A List 1 for {CHILDREN:,} children (12 months of contacts), {REPEATS} runs each")
    results = {}
    for target in database_targets():
        with fresh_database(target) as url:
            print(f"-- {target} (seeding first)", flush=True)
            results[target] = run_in_django(url, "benchmarks.list1:measure", children=CHILDREN)
    targets = list(results)

    def secs(values: list[float]) -> str:
        return f"{min(values):.2f} / {statistics.median(values):.2f} s"

    print(
        table(
            targets,
            [
                ("seeding (not counted)", [f"{results[t]['seed']:.1f} s" for t in targets]),
                ("List 1 rows", [f"{results[t]['rows']:,}" for t in targets]),
                ("workbook size", [f"{results[t]['bytes'] / 1e6:.1f} MB" for t in targets]),
                ("List 1 workbook, best / median", [secs(results[t]["list1"]) for t in targets]),
                (
                    "indicator trend (13 months), best / median",
                    [secs(results[t]["trend"]) for t in targets],
                ),
            ],
        )
    )
