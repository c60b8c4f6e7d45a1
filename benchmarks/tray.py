"""The front-door tray under load: 200,000 contacts in PostgreSQL, 20 signed-in users
(target: p95 under 150 ms).

``python -m benchmarks tray``. Needs DATABASE_URL pointing at a PostgreSQL server. Seeds a
fresh database directly (bulk inserts: 200,000 contacts over three years, all but a few
hundred decided and closed, one or two children each, authorised decisions on the closed
ones; front-door practitioners with a known password), starts gunicorn on 127.0.0.1 only
(2 gthread workers, 4 threads each: the machine has 2 cores), then runs locust headless
for a bounded time: 20 users, each signed in as a practitioner (through the sign-in form,
before the load starts), fetching the tray and a filtered tray with a think time of 5 to
15 s. Prints requests, failures and p50/p95/p99 in ms; stops the server itself.
BENCH_TRAY_CONTACTS, BENCH_TRAY_OPEN, BENCH_TRAY_SECONDS, BENCH_TRAY_USERS and
BENCH_TRAY_WAIT ("low,high" seconds; "0,0" hammers the server) change it;
BENCH_TRAY_REUSE=<database url> runs the load test against a database this benchmark seeded
before (kept, not dropped), to compare changes without seeding again.
"""

from __future__ import annotations

import csv
import http.cookiejar
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks._support import ROOT, fresh_database, run_in_django, table

CONTACTS = int(os.environ.get("BENCH_TRAY_CONTACTS", "200000"))
OPEN = int(os.environ.get("BENCH_TRAY_OPEN", "300"))
SECONDS = int(os.environ.get("BENCH_TRAY_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_TRAY_USERS", "20"))
# Each user's think time between requests, in seconds ("low,high"): a practitioner reads
# the tray, opens a contact, comes back. "0,0" hammers the server instead.
WAIT = os.environ.get("BENCH_TRAY_WAIT", "5,15")
PRACTITIONERS = 20
HOST = "127.0.0.1"  # loopback only
PORT = 8110
PASSWORD = "bench-tray-passphrase-2026"  # noqa: S105 (throwaway benchmark accounts)
BATCH = 10_000
TARGET_P95_MS = 150
SPAWN_PER_SECOND = 2  # users arrive over ten seconds, not all in the same instant
WARM_UP_REQUESTS = 12

FIRST_NAMES = ["Alex", "Billie", "Casey", "Dani", "Eden", "Frankie", "Jo", "Kai", "Remi", "Sam"]
LAST_NAMES = ["Smith", "Jones", "Taylor", "Brown", "Khan", "Patel", "Evans", "Wilson", "Ali"]


def _tables() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed(contacts: int, open_contacts: int, practitioners: int) -> dict[str, Any]:
    """Runs inside Django (the child process): bulk inserts, then ANALYZE."""
    from django.db import connection, transaction
    from django.utils import timezone

    from evident.accounts.models import Team
    from evident.accounts.roles import Role
    from evident.accounts.services import council_get_or_create, team_get_or_create, user_create
    from evident.core.clocks import LONDON
    from evident.core.codes import ReferralSource
    from evident.front_door.models import Contact, ContactChild, Decision
    from evident.people.models import Person

    _tables()
    started = time.perf_counter()
    rng = random.Random(1)
    council = council_get_or_create()
    team = team_get_or_create(name="Front Door (MASH)", kind=Team.Kind.FRONT_DOOR)
    staff = [
        user_create(
            username=f"bench-practitioner-{n}",
            first_name="Bench",
            last_name=f"Practitioner {n:02d}",
            organisation=council,
            roles=[Role.PRACTITIONER],
            teams=[team],
            password=PASSWORD,
        )
        for n in range(practitioners)
    ]
    manager = user_create(
        username="bench-manager",
        first_name="Bench",
        last_name="Manager",
        organisation=council,
        roles=[Role.TEAM_MANAGER],
        teams=[team],
        password=PASSWORD,
    )
    people_count = max(contacts // 2, 1)
    with transaction.atomic():
        for start in range(0, people_count, BATCH):
            Person.objects.bulk_create(
                Person(
                    council_id=f"B{n:08d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=(timezone.localdate() - timedelta(days=rng.randint(30, 6500))),
                )
                for n in range(start, min(start + BATCH, people_count))
            )
    person_ids = list(Person.objects.values_list("pk", flat=True))

    # Receipt times spread evenly over three years, oldest first; the newest few hundred
    # (the last working days) are still open.
    now = timezone.now()
    span = timedelta(days=3 * 365).total_seconds()
    sources = list(ReferralSource.values)
    sequence: dict[int, int] = {}
    for start in range(0, contacts, BATCH):
        with transaction.atomic():
            batch = []
            for n in range(start, min(start + BATCH, contacts)):
                received = now - timedelta(seconds=span * (1 - (n + 1) / (contacts + 1)))
                year = received.astimezone(LONDON).year
                sequence[year] = sequence.get(year, 0) + 1
                is_open = n >= contacts - open_contacts
                batch.append(
                    Contact(
                        reference=f"C-{year}-{sequence[year]:06d}",
                        received_at=received,
                        source=rng.choice(sources),
                        concern="Police attended a domestic incident at home.",
                        consent=Contact.Consent.GIVEN,
                        recorded_by=rng.choice(staff),
                        recorded_at=received,
                        closed_at=None if is_open else received + timedelta(hours=20),
                        allocated_to=(rng.choice([None, *staff]) if is_open else rng.choice(staff)),
                    )
                )
            Contact.objects.bulk_create(batch)
            rows = ContactChild.objects.bulk_create(
                ContactChild(contact=contact, person_id=person_id)
                for contact in batch
                for person_id in {rng.choice(person_ids) for _ in range(rng.choice([1, 1, 2]))}
            )
            decisions = []
            for row in rows:
                contact = row.contact
                status: Decision.Status | None = Decision.Status.AUTHORISED
                if contact.closed_at is None:
                    status = rng.choice(
                        [None, None, Decision.Status.PROPOSED, Decision.Status.RETURNED]
                    )
                if status is None:
                    continue
                decisions.append(
                    Decision(
                        contact_child=row,
                        outcome=rng.choice(Decision.Outcome.values),
                        rationale="Checked with the school and the health visitor.",
                        status=status,
                        decided_by=contact.allocated_to or staff[0],
                        decided_at=contact.received_at + timedelta(hours=4),
                        authorised_by=manager if status == Decision.Status.AUTHORISED else None,
                        authorised_at=contact.closed_at,
                    )
                )
            Decision.objects.bulk_create(decisions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "contacts": Contact.objects.count(),
        "open": Contact.objects.filter(closed_at__isnull=True).count(),
        "children": ContactChild.objects.count(),
        "decisions": Decision.objects.count(),
        "people": len(person_ids),
    }


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"The server did not answer {url} within {seconds:.0f} s")


def _sign_in(base: str, username: str) -> str:
    """Signs in through the real sign-in form; returns the session cookie ("name=value").

    Done before the load starts: password hashing is meant to be slow, and twenty at
    once would otherwise be measured as tray time."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/account/sign-in/", timeout=30).close()
    token = next(c.value for c in jar if c.name.endswith("csrftoken"))
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        base + "/account/sign-in/", data=form, headers={"Referer": base + "/account/sign-in/"}
    )
    with opener.open(request, timeout=60) as answer:
        if "/account/sign-in/" in answer.url:
            raise RuntimeError(f"{username} could not sign in")
    return next(f"{c.name}={c.value}" for c in jar if c.name.endswith("sessionid"))


def _warm_up(base: str, session: str) -> None:
    """A few unmeasured requests, so both workers have loaded their templates and URL
    patterns before the users arrive."""
    for _ in range(WARM_UP_REQUESTS):
        request = urllib.request.Request(  # noqa: S310 (loopback)
            base + "/front-door/contacts/", headers={"Cookie": session}
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (loopback)
            answer.read()


def _stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def load_test(url: str) -> list[dict[str, str]]:
    """gunicorn against ``url``'s database on loopback, locust against gunicorn; the rows
    of locust's statistics (one per request name, then the aggregate)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DEBUG="false",
        BENCH_TRAY_WAIT=WAIT,
    )
    server = subprocess.Popen(  # noqa: S603 (our own interpreter, loopback only)
        [
            sys.executable,
            "-W",
            "ignore:No directory at",  # whitenoise: static files are not collected here
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind={HOST}:{PORT}",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://{HOST}:{PORT}"
        _wait_for(base + "/account/sign-in/", 60)
        sessions = [_sign_in(base, f"bench-practitioner-{n}") for n in range(PRACTITIONERS)]
        env["BENCH_TRAY_SESSIONS"] = " ".join(sessions)
        _warm_up(base, sessions[0])
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "tray"
            subprocess.run(  # noqa: S603 (our own interpreter, loopback only)
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "benchmarks" / "_tray_locust.py"),
                    "--headless",
                    f"--users={USERS}",
                    f"--spawn-rate={SPAWN_PER_SECOND}",
                    # Figures count from when every user has arrived.
                    "--reset-stats",
                    f"--run-time={SECONDS + USERS // SPAWN_PER_SECOND}s",
                    f"--host=http://{HOST}:{PORT}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--stop-timeout=5",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                timeout=SECONDS + USERS // SPAWN_PER_SECOND + 120,
            )
            return _stats(Path(f"{prefix}_stats.csv"))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("The tray benchmark needs DATABASE_URL pointing at a PostgreSQL server")
        return
    print(
        f"Front-door tray: {CONTACTS:,} contacts ({OPEN} open) in PostgreSQL, "
        f"{USERS} users (think time {WAIT} s) for {SECONDS} s on {HOST}:{PORT}, "
        "gunicorn 2 workers x 4 threads"
    )
    reuse = os.environ.get("BENCH_TRAY_REUSE", "")
    if reuse:
        print(f"-- reusing the seeded database at {reuse}", flush=True)
        print("-- load test", flush=True)
        _report(load_test(reuse))
        return
    with fresh_database("PostgreSQL") as url:
        print("-- seeding", flush=True)
        seeded = run_in_django(
            url,
            "benchmarks.tray:seed",
            contacts=CONTACTS,
            open_contacts=OPEN,
            practitioners=PRACTITIONERS,
        )
        print(
            f"   {seeded['contacts']:,} contacts ({seeded['open']} open), "
            f"{seeded['children']:,} children on them, {seeded['decisions']:,} decisions, "
            f"{seeded['people']:,} people in {seeded['seconds']:.0f} s",
            flush=True,
        )
        print("-- load test", flush=True)
        rows = load_test(url)
    _report(rows)


def _report(rows: list[dict[str, str]]) -> None:
    columns = ["requests", "failures", "p50 ms", "p95 ms", "p99 ms", "req/s"]
    print(
        table(
            columns,
            [
                (
                    row["Name"] if row["Name"] != "Aggregated" else "all requests",
                    [
                        row["Request Count"],
                        row["Failure Count"],
                        row["50%"],
                        row["95%"],
                        row["99%"],
                        f"{float(row['Requests/s']):.1f}",
                    ],
                )
                for row in rows
            ],
        )
    )
    trays = [r for r in rows if r["Name"].startswith("tray")]
    worst = max((float(r["95%"]) for r in trays), default=float("nan"))
    verdict = "met" if worst < TARGET_P95_MS else "NOT met"
    print(
        f"  Target p95 under {TARGET_P95_MS} ms for the tray: {verdict} (worst p95 {worst:.0f} ms)"
    )
