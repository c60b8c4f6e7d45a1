"""Finding the child among 100,000 (target: each search answers in under 200 ms).

``python -m benchmarks matching``. Seeds a council of 100,000 children into a fresh database
(SQLite, and PostgreSQL when DATABASE_URL points at one), then runs a few hundred realistic
front-door searches for children on record: exact details, a mistyped surname, a nickname,
day and month swapped, a sound-alike surname with a postcode, an NHS number alone, a first
name with a postcode, a surname with a date of birth. Prints p50/p95/max milliseconds for
the ranked matching alone and for the front-door search as the page runs it (with its audit
writes), how often the child searched for came first or in the top five, and how many
candidates the blocking queries fetched. BENCH_MATCH_CHILDREN and BENCH_MATCH_QUERIES change
the size.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date
from typing import Any

from benchmarks._support import database_targets, fresh_database, run_in_django, table

CHILDREN = int(os.environ.get("BENCH_MATCH_CHILDREN", "100000"))
QUERIES = int(os.environ.get("BENCH_MATCH_QUERIES", "400"))
TARGET_MS = 200
KINDS = (
    "exact name and date of birth",
    "surname typo and date of birth",
    "nickname and surname",
    "day and month swapped",
    "sound-alike surname and postcode",
    "NHS number alone",
    "first name and postcode",
    "surname and date of birth",
)
VOWELS = "AEIOUY"


def _typo(rng: random.Random, name: str) -> str:
    """Two letters after the third swapped, or one changed: a slip of the keyboard."""
    if len(name) < 5:
        return name + name[-1].lower()
    i = rng.randrange(3, len(name) - 1)
    if rng.random() < 0.5 and name[i] != name[i + 1]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    letter = rng.choice([c for c in "aeioulnrst" if c != name[i].lower()])
    return name[:i] + letter + name[i + 1 :]


def _sound_alike(name: str) -> str:
    """A spelling that sounds the same: a vowel changed (Smith -> Smyth), ph for f, ..."""
    for old, new in (("PH", "F"), ("CK", "K"), ("EE", "EA"), ("OU", "OW")):
        if old in name.upper()[1:]:
            at = name.upper().index(old, 1)
            return name[:at] + new.lower() + name[at + len(old) :]
    for i, c in enumerate(name[1:], start=1):
        if c.upper() in VOWELS:
            other = "y" if c.lower() == "i" else ("i" if c.lower() == "y" else "e")
            if other == c.lower():
                other = "a"
            return name[:i] + other + name[i + 1 :]
    return name


def _swapped(day: date) -> date:
    if day.day <= 12 and day.day != day.month:
        return day.replace(month=day.day, day=day.month)
    return day


def _query(rng: random.Random, kind: str, child: Any, postcode: str) -> dict[str, Any]:
    from evident.people.nicknames import name_variants

    first, last, born = child.first_name, child.last_name, child.date_of_birth
    if kind == "exact name and date of birth":
        return {"name": f"{first} {last}", "date_of_birth": born}
    if kind == "surname typo and date of birth":
        return {"name": f"{first} {_typo(rng, last)}", "date_of_birth": born}
    if kind == "nickname and surname":
        others = sorted(name_variants(first) - {first.upper()})
        nick = rng.choice(others).title() if others else first
        return {"name": f"{nick} {last}"}
    if kind == "day and month swapped":
        return {"name": f"{first} {last}", "date_of_birth": _swapped(born)}
    if kind == "sound-alike surname and postcode":
        return {"name": f"{first} {_sound_alike(last)}", "postcode": postcode}
    if kind == "NHS number alone" and child.nhs_number:
        return {"nhs_number": child.nhs_number}
    if kind == "first name and postcode" and postcode:
        return {"name": first, "postcode": postcode}
    return {"name": last, "date_of_birth": born}


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def measure(children: int, queries: int) -> dict[str, Any]:
    """Runs inside Django (the child process)."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from evident.accounts.models import Organisation, User
    from evident.accounts.roles import Role
    from evident.front_door.selectors import contact_draft_read
    from evident.people.matching import MatchQuery, candidate_ids, people_matching
    from evident.people.models import Address, Person
    from evident.synthetic.council import seed_council

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed_council(children=children, months=12, seed=1, progress=None)
    seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user = User.objects.filter(
        role_assignments__role=Role.PRACTITIONER,
        organisation__kind=Organisation.Kind.COUNCIL,
        is_active=True,
    ).first()
    if user is None:
        raise RuntimeError("the synthetic council has no practitioner")
    rng = random.Random(7)
    today = timezone.localdate()
    born_since = today.replace(year=today.year - 17)
    pool = list(
        Person.objects.filter(date_of_birth__gte=born_since)
        .order_by("council_id")
        .values_list("id", flat=True)
    )
    chosen = {p.pk: p for p in Person.objects.filter(pk__in=rng.sample(pool, queries))}
    postcodes = dict(
        Address.objects.filter(person_id__in=list(chosen), end_date__isnull=True).values_list(
            "person_id", "postcode"
        )
    )
    plan = []
    for n, person_id in enumerate(sorted(chosen, key=str)):
        kind = KINDS[n % len(KINDS)]
        child = chosen[person_id]
        plan.append(
            (kind, child, MatchQuery(**_query(rng, kind, child, postcodes.get(person_id, ""))))
        )

    for _, _, query in plan[:10]:  # warm the caches
        people_matching(user=user, query=query)

    matching_ms: list[float] = []
    page_ms: list[float] = []
    candidates: list[int] = []
    first = top5 = 0
    by_kind: dict[str, list[int]] = {kind: [0, 0] for kind in KINDS}
    for kind, child, query in plan:
        started = time.perf_counter()
        found = people_matching(user=user, query=query)
        matching_ms.append((time.perf_counter() - started) * 1000)
        ranked = [m.person.pk for m in found]
        first += bool(ranked[:1] == [child.pk])
        top5 += child.pk in ranked[:5]
        by_kind[kind][0] += 1
        by_kind[kind][1] += child.pk in ranked[:5]
        candidates.append(len(candidate_ids(user=user, query=query)))
        search = {
            "name": query.name,
            "date_of_birth": query.date_of_birth,
            "nhs_number": query.nhs_number,
            "postcode": query.postcode,
        }
        started = time.perf_counter()
        contact_draft_read(user=user, person_ids=[], search=search, path="/benchmark")
        page_ms.append((time.perf_counter() - started) * 1000)
    return {
        "seed": seeded,
        "people": Person.objects.count(),
        "queries": len(plan),
        "matching": _percentiles(matching_ms),
        "page": _percentiles(page_ms),
        "first": first / len(plan),
        "top5": top5 / len(plan),
        "candidates": _percentiles([float(c) for c in candidates]),
        "by_kind": {kind: hits / total for kind, (total, hits) in by_kind.items() if total},
    }


def run() -> None:
    print(
        f"Finding the child among {CHILDREN:,} children: {QUERIES} searches "
        f"(target p95 under {TARGET_MS} ms)"
    )
    results = {}
    for target in database_targets():
        with fresh_database(target) as url:
            print(f"-- {target} (seeding first)", flush=True)
            results[target] = run_in_django(
                url, "benchmarks.matching:measure", children=CHILDREN, queries=QUERIES
            )
    targets = list(results)

    def ms(key: str) -> list[str]:
        return [
            " / ".join(f"{results[t][key][p]:.0f}" for p in ("p50", "p95", "max")) for t in targets
        ]

    rows = [
        ("seeding (not counted)", [f"{results[t]['seed']:.0f} s" for t in targets]),
        ("people on record", [f"{results[t]['people']:,}" for t in targets]),
        ("ranked matching, p50 / p95 / max ms", ms("matching")),
        ("front-door search with audit, p50 / p95 / max ms", ms("page")),
        ("candidates scored, p50 / p95 / max", ms("candidates")),
        ("child searched for ranked first", [f"{results[t]['first']:.0%}" for t in targets]),
        ("child searched for in the top five", [f"{results[t]['top5']:.0%}" for t in targets]),
    ]
    rows += [
        (f"  top five: {kind}", [f"{results[t]['by_kind'][kind]:.0%}" for t in targets])
        for kind in KINDS
    ]
    print(table(targets, rows))
