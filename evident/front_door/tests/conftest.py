"""Front-door fixtures: children on record, contacts, and a fixed clock.

The week of Monday 23 November 2026 has no bank holiday: a contact received on Monday at
10:00 is due on Tuesday at 10:00, amber from 04:00 on Tuesday, overdue after 10:00.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from evident.core.codes import ReferralSource
from evident.front_door import services
from evident.front_door.models import Contact
from evident.people.models import Address, Person

LONDON = ZoneInfo("Europe/London")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)

_numbers = itertools.count(1)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@contextmanager
def frozen(now: datetime) -> Iterator[None]:
    """Every ``timezone.now()`` (views, forms, audit) answers ``now``."""
    with mock.patch("django.utils.timezone.now", return_value=now):
        yield


@pytest.fixture
def make_child(db: Any):
    def make(
        first_name: str = "Alex",
        last_name: str = "Smith",
        *,
        date_of_birth: date | None = date(2015, 3, 4),
        postcode: str = "",
        **fields: Any,
    ) -> Person:
        person = Person.objects.create(
            council_id=f"FD{next(_numbers):07d}",
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            **fields,
        )
        if postcode:
            Address.objects.create(person=person, line_1="1 High Street", postcode=postcode)
        return person

    return make


@pytest.fixture
def make_contact(personas: dict[str, Any]):
    """A contact recorded through the service (so with its audit events)."""

    def make(
        children: Sequence[Any],
        *,
        received_at: datetime = MONDAY_10AM,
        now: datetime | None = None,
        actor: Any = None,
        source: str = ReferralSource.POLICE,
        **fields: Any,
    ) -> Contact:
        return services.contact_record(
            actor=actor or personas["practitioner"],
            received_at=received_at,
            source=source,
            concern=fields.pop("concern", "Police attended a domestic incident at home."),
            consent=fields.pop("consent", Contact.Consent.GIVEN),
            children=[child.pk if isinstance(child, Person) else child for child in children],
            now=now or received_at,
            **fields,
        )

    return make


@pytest.fixture
def two_children(make_child: Any) -> list[Person]:
    return [
        make_child("Alex", "Smith", date_of_birth=date(2015, 3, 4)),
        make_child("Billie", "Smith", date_of_birth=date(2018, 7, 9)),
    ]


def new_child_data(**overrides: Any) -> dict[str, Any]:
    """``person_create`` arguments for a child not yet on record."""
    data: dict[str, Any] = {
        "first_name": "Casey",
        "last_name": "Jones",
        "date_of_birth": date(2019, 5, 6),
        "sex": "F",
    }
    data.update(overrides)
    return data


def mash_answers(children: int, *, level: int = 2, **overrides: str) -> dict[str, str]:
    """The decide page's level of need and child's voice for each child (``level_1``,
    ``voice_known_1``...), with the council's default levels in place."""
    from evident.front_door.services_mash import front_door_defaults_ensure

    levels = {level.number: str(level.pk) for level in front_door_defaults_ensure()}
    answers: dict[str, str] = {}
    for n in range(1, children + 1):
        answers[f"level_{n}"] = levels[level]
        answers[f"voice_known_{n}"] = "yes"
        answers[f"voice_views_{n}"] = "Wants to stay at home with mum"
        answers[f"voice_obtained_{n}"] = "directly"
    answers.update(overrides)
    return answers


@pytest.fixture
def levels_of_need(db: Any) -> dict[int, Any]:
    """The council's default continuum of need, by number."""
    from evident.front_door.services_mash import front_door_defaults_ensure

    return {level.number: level for level in front_door_defaults_ensure()}
