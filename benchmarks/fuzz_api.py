"""Fuzz the API with schemathesis against the schema the app serves (no server error allowed).

``python -m benchmarks fuzz_api``. Makes a fresh SQLite database, seeds a small council,
makes a partner organisation's API token, starts a dev server on a free loopback port and
runs schemathesis against ``/api/v1/openapi.json`` with the token: every check, a bounded
number of examples per operation (BENCH_FUZZ_EXAMPLES), every phase. The partner systems'
operations are fuzzed (the token's own endpoints); the council's indicators take a session,
not a token. Prints the operations, the cases run, the failures and the 5xx answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks._support import ROOT, run_in_django

EXAMPLES = int(os.environ.get("BENCH_FUZZ_EXAMPLES", "100"))
CHILDREN = int(os.environ.get("BENCH_FUZZ_CHILDREN", "300"))
OPERATIONS = "^/api/v1/partner/"


def prepare(children: int) -> dict[str, Any]:
    """Runs inside Django (the child process): migrate, seed, one token for a partner."""
    from django.core.management import call_command

    from evident.accounts.models import Organisation
    from evident.api.services import api_token_create
    from evident.synthetic.council import seed_council

    call_command("migrate", verbosity=0, interactive=False)
    seed_council(children=children, months=2, seed=1, progress=None)
    police, _ = Organisation.objects.get_or_create(
        name="Fuzz Police", defaults={"kind": Organisation.Kind.POLICE}
    )
    made = api_token_create(organisation=police, name="schemathesis")
    return {"token": made.token, "organisation": police.name}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def dev_server(url: str, port: int, log: Path) -> Iterator[str]:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.local")
    env["DEBUG"] = "false"  # answer as production does (no debug pages)
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base}/healthz", server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_for(url: str, server: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the dev server stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback http)
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise RuntimeError(f"the dev server did not answer {url}")


def fuzz(base: str, token: str, folder: Path) -> dict[str, Any]:
    har = folder / "fuzz.har"
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--include-path-regex",
        OPERATIONS,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "1",
        "--workers",
        "1",
        "--continue-on-failure",
        "--no-color",
        "--report",
        "har",
        "--report-har-path",
        str(har),
    ]
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (the venv's schemathesis)
        command, cwd=folder, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    output = done.stdout + done.stderr
    statuses = _har_statuses(har)
    return {
        "exit": done.returncode,
        "seconds": seconds,
        "output": output,
        "operations": _count(r"(\d+) selected", output),
        "cases": _count(r"Test cases:\s*\n?\s*(\d+) generated", output)
        or _count(r"(\d+) generated", output),
        "failures": _count(r"(\d+) unique failures?", output),
        "requests": len(statuses),
        "server_errors": sum(1 for s in statuses if s >= 500),
        "by_status": {str(s): statuses.count(s) for s in sorted(set(statuses))},
    }


def _count(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    return int(found.group(1)) if found else 0


def _har_statuses(har: Path) -> list[int]:
    if not har.exists():
        return []
    entries = json.loads(har.read_text())["log"]["entries"]
    return [int(entry["response"]["status"]) for entry in entries]


def run() -> None:
    print(
        f"Fuzzing the partner API with schemathesis: every check, up to {EXAMPLES} "
        "examples per operation, against the served schema (target: no server error)"
    )
    folder = Path(tempfile.mkdtemp(prefix="evident-fuzz-"))
    try:
        url = f"sqlite:///{folder}/fuzz.sqlite3"
        print(f"-- seeding {CHILDREN} children into a fresh SQLite database", flush=True)
        prepared = run_in_django(url, "benchmarks.fuzz_api:prepare", children=CHILDREN)
        with dev_server(url, free_port(), folder / "server.log") as base:
            print(f"-- fuzzing {base}/api/v1/openapi.json", flush=True)
            result = fuzz(base, prepared["token"], folder)
        # schemathesis's report, long generated payloads cut short
        print("\n".join(line[:400] for line in result["output"].splitlines()))
        print(f"  operations fuzzed          {result['operations']}")
        print(f"  test cases generated       {result['cases']}")
        print(f"  requests sent              {result['requests']}")
        print(f"  answers by status          {result['by_status']}")
        print(f"  unique failures            {result['failures']}")
        print(f"  server errors (5xx)        {result['server_errors']}")
        print(f"  seconds                    {result['seconds']:.0f}")
        if result["server_errors"]:
            log = (folder / "server.log").read_text()
            print(log[-6000:])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
