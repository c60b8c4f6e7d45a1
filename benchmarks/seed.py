"""Seeding the synthetic council: 30,000 children over 12 months into a fresh database.

``python -m benchmarks seed``. SQLite in a temporary file, and PostgreSQL (a fresh
``bench_evident`` database, dropped afterwards) when DATABASE_URL points at PostgreSQL.
Prints seconds per phase, the total, rows written and rows per second. The target is under
60 seconds on the project's 2-core machine. BENCH_SEED_CHILDREN and BENCH_SEED_MONTHS
change the size (for a quick look).
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

CHILDREN = int(os.environ.get("BENCH_SEED_CHILDREN", "30000"))
MONTHS = int(os.environ.get("BENCH_SEED_MONTHS", "12"))
SEED = 1


def measure(children: int, months: int, seed: int) -> dict[str, Any]:
    """Runs inside Django (the child process): migrate the empty database, then seed it."""
    from django.core.management import call_command

    from evident.synthetic.council import seed_council

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate = time.perf_counter() - started
    result = seed_council(children=children, months=months, seed=seed, progress=sys.stderr)
    return {
        "migrate": migrate,
        "phases": result.seconds,
        "total": result.total_seconds,
        "rows": result.rows,
        "counts": result.counts,
    }


def run() -> None:
    print(f"Seeding {CHILDREN:,} children over {MONTHS} months (seed {SEED}), fresh database each")
    results: dict[str, dict[str, Any]] = {}
    for target in database_targets():
        with fresh_database(target) as url:
            print(f"-- {target}", flush=True)
            started = time.perf_counter()
            results[target] = run_in_django(
                url, "benchmarks.seed:measure", children=CHILDREN, months=MONTHS, seed=SEED
            )
            results[target]["wall"] = time.perf_counter() - started
    targets = list(results)
    phases = list(next(iter(results.values()))["phases"])
    rows: list[tuple[str, list[str]]] = [
        ("migrate (not counted)", [f"{results[t]['migrate']:.1f} s" for t in targets])
    ]
    rows += [(phase, [f"{results[t]['phases'][phase]:.1f} s" for t in targets]) for phase in phases]
    rows += [
        ("seed total", [f"{results[t]['total']:.1f} s" for t in targets]),
        ("rows written", [f"{results[t]['rows']:,}" for t in targets]),
        ("rows/second", [f"{results[t]['rows'] / results[t]['total']:,.0f}" for t in targets]),
        ("whole run, wall clock", [f"{results[t]['wall']:.1f} s" for t in targets]),
    ]
    print(table(targets, rows))
    counts = next(iter(results.values()))["counts"]
    listed = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items())
    print(textwrap.fill(listed, width=96, initial_indent="  ", subsequent_indent="  "))
