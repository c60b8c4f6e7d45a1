"""What benchmarks share: fresh databases, and code run inside Django in a child process.

A benchmark runs its measured code in a child Python (``benchmarks._worker``) whose
DATABASE_URL points at a fresh database, so SQLite and PostgreSQL can be measured one after
the other with Django's settings read afresh each time.

    for target in database_targets():
        with fresh_database(target) as url:
            figures = run_in_django(url, "benchmarks.seed:measure", children=30_000)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MARKER = "BENCHMARK-RESULT "
# BENCH_DATABASE names another one when several benchmark runs share a PostgreSQL server.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "bench_evident")


def database_targets() -> list[str]:
    """SQLite always; PostgreSQL too when DATABASE_URL points at a PostgreSQL server."""
    targets = ["SQLite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        targets.append("PostgreSQL")
    return targets


@contextlib.contextmanager
def fresh_database(target: str) -> Iterator[str]:
    """An empty database for ``target`` (not yet migrated), removed afterwards."""
    if target == "SQLite":
        folder = tempfile.mkdtemp(prefix="evident-bench-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    yield from _fresh_postgres()


def _fresh_postgres() -> Iterator[str]:
    import psycopg

    server = urlsplit(os.environ["DATABASE_URL"])
    admin = urlunsplit(server._replace(path="/postgres"))
    bench = urlunsplit(server._replace(path=f"/{BENCH_DATABASE}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    try:
        yield bench
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def run_in_django(url: str, target: str, **kwargs: Any) -> Any:
    """Call ``module:function(**kwargs)`` in a child Python set up for Django against
    ``url``; returns what it returned (JSON-able). Its stderr (progress bars) passes through."""
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "benchmarks._worker", target, json.dumps(kwargs)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    sys.stdout.write(done.stdout)
    raise RuntimeError(f"{target} failed (exit {done.returncode}) against {url}")


def table(columns: list[str], rows: list[tuple[str, list[str]]]) -> str:
    """A plain text table: a label column, then one right-aligned column per target."""
    width = max(len(label) for label, _ in rows)
    cells = [max(len(c), *(len(r[1][i]) for r in rows)) for i, c in enumerate(columns)]
    lines = [
        "  " + " " * width + "".join(f"  {c:>{w}}" for c, w in zip(columns, cells, strict=True))
    ]
    for label, values in rows:
        lines.append(
            f"  {label:<{width}}"
            + "".join(f"  {v:>{w}}" for v, w in zip(values, cells, strict=True))
        )
    return "\n".join(lines)
