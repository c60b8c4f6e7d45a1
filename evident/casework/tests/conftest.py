"""Casework fixtures: a duty and assessment team, and contacts decided through the
front door's own services (so the episode is opened the way it is in use)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from evident.accounts.models import Team, User
from evident.accounts.roles import Role
from evident.accounts.services import team_get_or_create, user_create
from evident.core.codes import ReferralSource
from evident.core.working_days import forget_calendar
from evident.front_door import services
from evident.front_door.models import Contact, ContactChild
from evident.people.models import Person

LONDON = ZoneInfo("Europe/London")
# Monday 23 November 2026: no bank holiday that week.
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
MONDAY_2PM = datetime(2026, 11, 23, 14, 0, tzinfo=LONDON)

_numbers = itertools.count(1)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    forget_calendar()


@pytest.fixture
def dat_team(db: Any) -> Team:
    return team_get_or_create(name="Duty and Assessment North", kind=Team.Kind.DUTY_ASSESSMENT)


@pytest.fixture
def dat_people(personas: dict[str, User], dat_team: Team, council: Any) -> dict[str, User]:
    """The social worker and manager personas join the duty team; a second social worker
    and a manager of another duty team are added."""
    personas["socialworker"].teams.add(dat_team)
    personas["manager"].teams.add(dat_team)
    other_team = team_get_or_create(
        name="Duty and Assessment South", kind=Team.Kind.DUTY_ASSESSMENT
    )
    second = user_create(
        username="sw2",
        first_name="Sam",
        last_name="Second",
        organisation=council,
        roles=[Role.SOCIAL_WORKER],
        teams=[dat_team],
        password="a-long-test-passphrase-123",
    )
    other_manager = user_create(
        username="southmanager",
        first_name="Sol",
        last_name="South",
        organisation=council,
        roles=[Role.TEAM_MANAGER],
        teams=[other_team],
        password="a-long-test-passphrase-123",
    )
    return {**personas, "sw2": second, "other_manager": other_manager}


@pytest.fixture
def make_child(db: Any):
    def make(first_name: str = "Alex", last_name: str = "Smith", **fields: Any) -> Person:
        fields.setdefault("date_of_birth", date(2015, 3, 4))
        return Person.objects.create(
            council_id=f"CW{next(_numbers):07d}",
            first_name=first_name,
            last_name=last_name,
            **fields,
        )

    return make


@pytest.fixture
def decided(personas: dict[str, User]):
    """Record a contact about ``children``, propose ``outcomes`` (one per child) as the
    practitioner and authorise them as the manager. Returns the contact."""

    def make(
        children: list[Person],
        outcomes: list[str],
        *,
        received_at: datetime = MONDAY_10AM,
        authorised_at: datetime = MONDAY_2PM,
        source: str = ReferralSource.POLICE,
        **fields: Any,
    ) -> Contact:
        contact = services.contact_record(
            actor=personas["practitioner"],
            received_at=received_at,
            source=source,
            concern="Police attended a domestic incident at home.",
            consent=Contact.Consent.GIVEN,
            children=[child.pk for child in children],
            now=received_at,
            **fields,
        )
        rows = {row.person_id: row for row in ContactChild.objects.filter(contact=contact)}
        services.contact_decide(
            actor=personas["practitioner"],
            contact=contact,
            decisions={
                rows[child.pk].pk: (outcome, "Because of the concern")
                for child, outcome in zip(children, outcomes, strict=True)
            },
            now=received_at,
        )
        services.contact_authorise(actor=personas["manager"], contact=contact, now=authorised_at)
        return contact

    return make
