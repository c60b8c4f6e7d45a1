"""Hand-made front-door records for the performance tests (the seed is someone else's)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

import pytest

from evident.accounts.roles import Role
from evident.core.clocks import LONDON
from evident.core.working_days import forget_calendar
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person

_numbers = itertools.count(1)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware Europe/London datetime: london(2024, 6, 7, 15, 0)."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


class FrontDoor:
    """Makes people, contacts and decisions directly (no services, no audit)."""

    def __init__(self, manager: Any):
        self.manager = manager

    def child(
        self,
        council_id: str | None = None,
        *,
        born: date | None = date(2015, 5, 20),
        expected: date | None = None,
        gender: str = "male",
        ethnicity: str = "WBRI",
    ) -> Person:
        n = next(_numbers)
        return Person.objects.create(
            council_id=council_id or f"C{n:06d}",
            first_name="Test",
            last_name=f"Child{n}",
            date_of_birth=born,
            expected_date_of_birth=expected,
            gender=gender,
            ethnicity=ethnicity,
        )

    def contact(
        self,
        received_at: datetime,
        *children: Person,
        source: str = "6",
        authorised_at: datetime | None = None,
        status: str = Decision.Status.AUTHORISED,
    ) -> Contact:
        """A contact about ``children``; with ``authorised_at``, each child's decision
        was authorised then (or, with another ``status``, only proposed)."""
        n = next(_numbers)
        contact = Contact.objects.create(
            reference=f"CT{n:07d}",
            received_at=received_at,
            source=source,
            concern="Test concern",
            consent=Contact.Consent.GIVEN,
            recorded_at=received_at,
        )
        for person in children:
            row = ContactChild.objects.create(contact=contact, person=person)
            if authorised_at is not None or status != Decision.Status.AUTHORISED:
                authorised = status == Decision.Status.AUTHORISED
                Decision.objects.create(
                    contact_child=row,
                    outcome=Decision.Outcome.EARLY_HELP,
                    rationale="Test rationale",
                    status=status,
                    decided_by=self.manager,
                    decided_at=authorised_at or received_at,
                    authorised_by=self.manager if authorised else None,
                    authorised_at=authorised_at if authorised else None,
                )
        return contact


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    # The council calendar is cached per process; closure days differ between tests.
    forget_calendar()


@pytest.fixture
def front_door(make_user: Any) -> FrontDoor:
    return FrontDoor(make_user("fd-manager", Role.TEAM_MANAGER))
