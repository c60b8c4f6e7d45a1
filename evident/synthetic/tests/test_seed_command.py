"""``evident seed``: reproducible, all or nothing, never two councils in one database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from evident.accounts.models import Organisation, Team, User
from evident.api.models import ApiToken
from evident.audit.models import AuditEvent
from evident.casework.models import Episode
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    EarlyHelpEpisode,
    InformationRequest,
    SubmittedChild,
)
from evident.people.models import Address, Household, Person, Relationship
from evident.synthetic import council
from evident.synthetic.council import CouncilNotEmptyError, seed_council
from evident.synthetic.tests.digest import council_digest

UNTIL = date(2026, 6, 17)
SMALL = {"children": 600, "months": 3, "until": UNTIL}

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Person, Household, Address, Relationship, Contact, ContactChild, Decision)
    models += (Organisation, Team, User, AuditEvent, ApiToken)  # type: ignore[assignment]
    models += (SubmittedChild, InformationRequest, EarlyHelpEpisode, Episode)  # type: ignore[assignment]
    return {m.__name__: m.objects.count() for m in models}


def _digest_of(seed: int) -> str:
    """Seed, fingerprint, then roll back, so the next seed starts from an empty database."""
    with transaction.atomic():
        seed_council(seed=seed, **SMALL)  # type: ignore[arg-type]
        digest = council_digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_council_and_another_seed_another():
    first = _digest_of(7)
    assert Person.objects.count() == 0
    assert _digest_of(7) == first
    assert _digest_of(8) != first


def test_the_command_seeds_shows_progress_and_prints_a_summary():
    out, err = io.StringIO(), io.StringIO()
    call_command("seed", children=300, months=2, seed=3, until="2026-06-17", stdout=out, stderr=err)
    children = Q(date_of_birth__isnull=True) | Q(date_of_birth__gt=date(2008, 6, 17))
    assert Person.objects.filter(children).count() == 300  # aged 0-17 on --until, or unborn
    summary = out.getvalue()
    assert "300 children" in summary
    assert "contacts" in summary
    assert "through the portal or API" in summary
    assert "early help episode" in summary
    assert " s," in summary  # seconds per phase
    for phase in ("people", "households", "contacts", "decisions", "outcomes"):
        assert phase in err.getvalue()
    events = AuditEvent.objects.filter(record_type="synthetic.seed")
    assert events.count() == 1  # one event for the run, not one per row
    detail = events.get().detail
    assert detail["seed"] == 3
    assert detail["until"] == "2026-06-17"
    assert detail["counts"]["children"] == 300


def test_if_empty_leaves_a_database_with_people_untouched():
    Person.objects.create(council_id="X1", first_name="Already", last_name="Here")
    before = _counts()
    out = io.StringIO()
    call_command("seed", children=50, months=1, seed=1, if_empty=True, stdout=out)
    assert "nothing seeded" in out.getvalue()
    assert _counts() == before


def test_without_if_empty_a_database_with_people_is_refused():
    Person.objects.create(council_id="X1", first_name="Already", last_name="Here")
    before = _counts()
    with pytest.raises(CommandError, match="already has people"):
        call_command("seed", children=50, months=1, seed=1, stdout=io.StringIO())
    assert _counts() == before
    with pytest.raises(CouncilNotEmptyError):
        seed_council(children=50, months=1, seed=1)


@pytest.mark.parametrize("phase", ["_decisions", "_outcomes"])
def test_a_failure_part_way_leaves_the_database_as_it_was(monkeypatch, phase):
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(council, phase, broken)
    with pytest.raises(RuntimeError, match="disk full"):
        seed_council(seed=1, **SMALL)  # type: ignore[arg-type]
    assert _counts() == before
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"until": "17/06/2026"}, "--until must be a date"),
        ({"children": 0}, "children must be between"),
        ({"months": 0}, "months must be between"),
    ],
)
def test_bad_arguments_are_refused_clearly(args, message):
    options = {"children": 10, "months": 1, "seed": 1, **args}
    with pytest.raises(CommandError, match=message):
        call_command("seed", stdout=io.StringIO(), stderr=io.StringIO(), **options)
