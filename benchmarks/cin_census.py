"""The CIN census for a council of 100,000 children (targets: under 10 s and 1 GB each).

``python -m benchmarks cin_census``. Into a fresh database (SQLite, and PostgreSQL when
DATABASE_URL points at one) go 100,000 children, of whom BENCH_CIN_CHILDREN (default
10,000: about 10%, against England's 6% of children in need in a year) have census-year
casework: a referral, an authorised assessment, then a child-in-need plan or an enquiry,
conference and protection plan with a review; half closed. Then, each in its own process
so its peak memory is its own (the resident set, including Python and Django):

* writing the census file (``census_export``: the extract, the streamed XML),
* the XSD check of the written file, as ``evident cin-census`` does before keeping it,
* validating the file (``census_check_file``: schema, reading it back, every rule),
* the live check (``census_check_live``: the rules over the records as of the reference date).

Set BENCH_CIN_SKIP_LIVE=1 to leave out the live check. When a seeded council is already in
a database (the lead's merged synthetic casework), BENCH_CIN_DATABASE_URL measures that one
instead of seeding (BENCH_CIN_YEAR picks the census year, default the latest complete one).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

COUNCIL = 100_000
CIN_CHILDREN = int(os.environ.get("BENCH_CIN_CHILDREN", "10000"))
YEAR = int(os.environ.get("BENCH_CIN_YEAR", "2026"))
ONE_GB = 1024**3


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux


def seed(children: int, cin_children: int, year: int) -> dict[str, Any]:
    """Runs inside Django: the council's people, and casework for some of them."""
    from django.core.management import call_command

    from evident.accounts.models import User
    from evident.people.models import Person
    from evident.returns.cin_census.sample import sample_casework

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    user = User.objects.create(username="bench-census", first_name="Bench", last_name="Census")
    sample_casework(children=cin_children, year=year, user=user, seed=7)
    others = children - cin_children
    for first in range(0, others, 10_000):
        Person.objects.bulk_create(
            Person(council_id=f"P{n:09d}", first_name="Other", last_name=f"Child{n}")
            for n in range(first, min(first + 10_000, others))
        )
    return {"seconds": time.perf_counter() - started, "people": Person.objects.count()}


def write(year: int, out: str) -> dict[str, Any]:
    from evident.returns.services import census_export

    started = time.perf_counter()
    _, result, _ = census_export(actor=None, year=year, out=out)
    return {
        "seconds": time.perf_counter() - started,
        "peak": _peak_bytes(),
        "children": result.children,
        "episodes": result.episodes,
        "bytes": Path(out).stat().st_size,
    }


def xsd(year: int, out: str) -> dict[str, Any]:
    from evident.returns.cin_census.xml import schema_check

    started = time.perf_counter()
    errors = schema_check(out, year=year)
    return {"seconds": time.perf_counter() - started, "peak": _peak_bytes(), "errors": len(errors)}


def validate_file(out: str) -> dict[str, Any]:
    from evident.returns.services import census_check_file

    started = time.perf_counter()
    with open(out, "rb") as stream:
        checked = census_check_file(actor=None, source=stream, name="bench.xml")
    return {
        "seconds": time.perf_counter() - started,
        "peak": _peak_bytes(),
        "schema_errors": len(checked.schema_errors),
        "failures": checked.report.failures,
        "children": checked.report.children_checked,
    }


def validate_live(year: int) -> dict[str, Any]:
    from datetime import date

    from evident.returns.services import census_check_live

    started = time.perf_counter()
    checked = census_check_live(actor=None, as_of=date(year, 3, 31))
    return {
        "seconds": time.perf_counter() - started,
        "peak": _peak_bytes(),
        "failures": checked.report.failures,
        "children": checked.report.children_checked,
    }


def _measure(url: str, folder: str) -> dict[str, Any]:
    out = str(Path(folder) / "cin.xml")
    figures = {
        "write": run_in_django(url, "benchmarks.cin_census:write", year=YEAR, out=out),
        "xsd": run_in_django(url, "benchmarks.cin_census:xsd", year=YEAR, out=out),
        "file": run_in_django(url, "benchmarks.cin_census:validate_file", out=out),
    }
    if not os.environ.get("BENCH_CIN_SKIP_LIVE"):
        figures["live"] = run_in_django(url, "benchmarks.cin_census:validate_live", year=YEAR)
    return figures


def run() -> None:
    results: dict[str, dict[str, Any]] = {}
    existing = os.environ.get("BENCH_CIN_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        if existing:
            print(f"CIN census {YEAR} for the council already in BENCH_CIN_DATABASE_URL")
            results["given database"] = _measure(existing, folder)
        else:
            print(
                f"CIN census {YEAR} for {COUNCIL:,} children, {CIN_CHILDREN:,} of them with "
                "census-year casework"
            )
            for target in database_targets():
                with fresh_database(target) as url:
                    print(f"-- {target} (seeding first)", flush=True)
                    seeded = run_in_django(
                        url,
                        "benchmarks.cin_census:seed",
                        children=COUNCIL,
                        cin_children=CIN_CHILDREN,
                        year=YEAR,
                    )
                    results[target] = {"seed": seeded, **_measure(url, folder)}
    targets = list(results)

    def secs(step: str) -> list[str]:
        return [f"{results[t][step]['seconds']:.2f} s" for t in targets if step in results[t]]

    def peak(step: str) -> list[str]:
        return [f"{results[t][step]['peak'] / 1e6:.0f} MB" for t in targets if step in results[t]]

    rows = [
        ("children in the census", [f"{results[t]['write']['children']:,}" for t in targets]),
        ("episodes", [f"{results[t]['write']['episodes']:,}" for t in targets]),
        ("file size", [f"{results[t]['write']['bytes'] / 1e6:.1f} MB" for t in targets]),
        ("write the census", secs("write")),
        ("  peak memory", peak("write")),
        ("XSD check of the file", secs("xsd")),
        ("  peak memory", peak("xsd")),
        ("validate the file (XSD + rules)", secs("file")),
        ("  peak memory", peak("file")),
        (
            "  schema errors / rule failures",
            [
                f"{results[t]['file']['schema_errors']} / {results[t]['file']['failures']}"
                for t in targets
            ],
        ),
    ]
    if all("live" in results[t] for t in targets):
        rows += [
            ("live check (rules over the records)", secs("live")),
            ("  peak memory", peak("live")),
        ]
    if all("seed" in results[t] for t in targets):
        rows.insert(
            0,
            ("seeding (not counted)", [f"{results[t]['seed']['seconds']:.1f} s" for t in targets]),
        )
    print(table(targets, rows))
    over = [
        f"{t} {step}"
        for t in targets
        for step in ("write", "file", "live")
        if step in results[t]
        and (results[t][step]["seconds"] > 10 or results[t][step]["peak"] > ONE_GB)
    ]
    print("Over the 10 s / 1 GB target: " + (", ".join(over) if over else "none"))
