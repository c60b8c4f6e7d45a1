"""A board pack for an improvement plan of 100 actions and 30 indicators with targets
(target: page and PDF each under 5 seconds).

``python -m benchmarks board_pack``. Seeds a synthetic council (BENCH_PACK_CHILDREN
children, default 10,000, 12 months of contacts) into a fresh database (SQLite, and
PostgreSQL when DATABASE_URL points at one), replaces its plan with 10 priorities of 10
actions each (every action with progress updates and linked indicator evidence, a share of
them late), and gives 30 indicators targets: the registered ones plus copies of them under
other codes, so each of the 30 counts real records (the copies are of casework indicators,
whose reads are not shared, so each copy still reads its own rows). Then a signed-in board member fetches
the pack page and the PDF through the full middleware stack, three times each; prints the
best and median wall-clock seconds, the CPU seconds (the machine is shared: wall-clock time
under load says more about the neighbours than the code), the queries each made, the load
average, and the PDF's size and pages.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

CHILDREN = int(os.environ.get("BENCH_PACK_CHILDREN", "10000"))
ACTIONS = 100
INDICATORS = 30
REPEATS = 3
TARGET_SECONDS = 5.0


def _plan(rng: Any, today: Any) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from evident.inspection.models import (
        Action,
        Evidence,
        IndicatorTarget,
        Priority,
        ProgressUpdate,
    )
    from evident.performance.indicators.registry import indicator_list

    Evidence.objects.all().delete()
    ProgressUpdate.objects.all().delete()
    Action.objects.all().delete()
    Priority.objects.all().delete()
    codes = [i.code for i in indicator_list()][:INDICATORS]
    for p in range(ACTIONS // 10):
        priority = Priority.objects.create(title=f"Priority {p + 1}", position=p)
        for a in range(10):
            set_on = today - timedelta(days=rng.randint(60, 300))
            due_on = set_on + timedelta(days=rng.randint(30, 400))
            done = due_on < today and rng.random() < 0.6
            action = Action.objects.create(
                priority=priority,
                title=f"Action {p + 1}.{a + 1}: a change to practice with a measurable effect",
                owner=rng.choice(["Head of service", "Assistant director", "Team manager"]),
                set_on=set_on,
                due_on=due_on,
                status=Action.Status.DONE if done else rng.choice(list(Action.Status)[:3]),
                completed_on=min(today, due_on) if done else None,
            )
            ProgressUpdate.objects.bulk_create(
                ProgressUpdate(
                    action=action, written_on=set_on + timedelta(days=20 * n), text="Progress."
                )
                for n in range(3)
            )
            Evidence.objects.create(action=action, indicator_code=rng.choice(codes))
    IndicatorTarget.objects.all().delete()
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator_code=code,
            target=Decimal(rng.randint(60, 95)),
            tolerance=Decimal(5),
            england=Decimal(rng.randint(50, 90)),
        )
        for code in codes
    )


def _pages(pdf: bytes) -> int:
    import subprocess

    info = subprocess.run(["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    for line in info.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def measure(children: int) -> dict[str, Any]:
    """Runs inside Django (the child process)."""
    import dataclasses
    import random

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from evident.accounts.roles import Role
    from evident.accounts.services import council_get_or_create, user_create
    from evident.inspection.models import Meeting
    from evident.performance.indicators.registry import indicator_list, register

    call_command("migrate", verbosity=0, interactive=False)
    from evident.synthetic.council import seed_council

    started = time.perf_counter()
    seed_council(children=children, months=12, seed=1, progress=None)
    seeded = time.perf_counter() - started

    # 30 indicators: copies of the registered ones under new codes count the same records.
    real = indicator_list()
    n = 0
    while len(indicator_list()) < INDICATORS:
        base = real[n % len(real)]
        register(dataclasses.replace(base, code=f"{base.code}-copy-{n}"))
        n += 1
    rng = random.Random(6)
    _plan(rng, timezone.localdate())
    meeting = Meeting.objects.filter(board__kind="improvement").first()
    if meeting is None:
        raise RuntimeError("the synthetic council has no Improvement Board meeting")

    council = council_get_or_create()
    member = user_create(
        username="bench-board-member",
        first_name="Bench",
        last_name="Member",
        organisation=council,
        roles=[Role.BOARD_MEMBER],
        teams=[],
        password="bench-board-passphrase-2026",  # noqa: S106 (throwaway benchmark account)
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(member)
    timings: dict[str, list[float]] = {
        name: []
        for name in ("page", "pdf_warm", "pdf_cold", "page_cpu", "pdf_warm_cpu", "pdf_cold_cpu")
    }
    sizes: dict[str, int] = {}
    queries: dict[str, int] = {}

    def fetch(name: str, url: str) -> bytes:
        with CaptureQueriesContext(connection) as read:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings[name].append(time.perf_counter() - started)
            timings[f"{name}_cpu"].append(time.process_time() - cpu)
        queries[name] = len(read.captured_queries)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        sizes[name] = len(response.content)
        return bytes(response.content)

    for _ in range(REPEATS):
        # Cold: nothing counted yet. Then the PDF a board member downloads after the page
        # (indicator series kept for 5 minutes), then the PDF on its own, cold.
        cache.clear()
        fetch("page", f"/inspection/meetings/{meeting.pk}/pack/")
        fetch("pdf_warm", f"/inspection/meetings/{meeting.pk}/pack.pdf")
        cache.clear()
        pdf = fetch("pdf_cold", f"/inspection/meetings/{meeting.pk}/pack.pdf")
    pages = _pages(pdf)
    return {
        "seed": seeded,
        **timings,
        "html_bytes": sizes["page"],
        "pdf_bytes": sizes["pdf_cold"],
        "pdf_pages": pages,
        "queries": queries,
        "indicators": len(indicator_list()),
        "load": os.getloadavg()[0],
    }


def run() -> None:
    print(
        f"Board pack: {ACTIONS} actions, {INDICATORS} indicators with targets, "
        f"{CHILDREN:,} children (12 months), {REPEATS} runs each"
    )
    results = {}
    for target in database_targets():
        with fresh_database(target) as url:
            print(f"-- {target} (seeding first)", flush=True)
            results[target] = run_in_django(url, "benchmarks.board_pack:measure", children=CHILDREN)
    targets = list(results)

    def secs(values: list[float]) -> str:
        ok = "ok" if max(values) < TARGET_SECONDS else "OVER"
        return f"{min(values):.2f} / {statistics.median(values):.2f} s ({ok})"

    def cpu(values: list[float]) -> str:
        return f"{min(values):.2f} s"

    print(
        table(
            targets,
            [
                ("seeding (not counted)", [f"{results[t]['seed']:.1f} s" for t in targets]),
                ("indicators", [str(results[t]["indicators"]) for t in targets]),
                ("pack page (cold), best / median", [secs(results[t]["page"]) for t in targets]),
                (
                    "PDF after the page, best / median",
                    [secs(results[t]["pdf_warm"]) for t in targets],
                ),
                (
                    "PDF on its own (cold), best / median",
                    [secs(results[t]["pdf_cold"]) for t in targets],
                ),
                ("page CPU, best", [cpu(results[t]["page_cpu"]) for t in targets]),
                (
                    "PDF after the page CPU, best",
                    [cpu(results[t]["pdf_warm_cpu"]) for t in targets],
                ),
                ("PDF cold CPU, best", [cpu(results[t]["pdf_cold_cpu"]) for t in targets]),
                (
                    "queries: page, PDF cold",
                    [
                        f"{results[t]['queries']['page']}, {results[t]['queries']['pdf_cold']}"
                        for t in targets
                    ],
                ),
                ("load average (2 cores)", [f"{results[t]['load']:.1f}" for t in targets]),
                ("page size", [f"{results[t]['html_bytes'] / 1e3:.0f} kB" for t in targets]),
                (
                    "PDF size, pages",
                    [
                        f"{results[t]['pdf_bytes'] / 1e3:.0f} kB, {results[t]['pdf_pages']}"
                        for t in targets
                    ],
                ),
            ],
        )
    )
