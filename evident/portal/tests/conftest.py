"""Portal fixtures: a partner of another organisation, and a submission made through the
service (the flow itself is tested page by page in ``test_flow``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from evident.accounts.models import Organisation, User
from evident.accounts.roles import Role
from evident.accounts.services import user_create
from evident.front_door.models import Contact
from evident.front_door.services import contact_submit
from evident.front_door.tests.conftest import make_child, make_contact  # noqa: F401 (fixtures)

PASSWORD = "a-long-test-passphrase-123"


@pytest.fixture
def school(db: Any) -> Organisation:
    return Organisation.objects.create(name="Northbridge Academy", kind=Organisation.Kind.SCHOOL)


@pytest.fixture
def school_partner(school: Organisation) -> User:
    return user_create(
        username="teacher",
        first_name="Sam",
        last_name="Teacher",
        organisation=school,
        roles=[Role.PARTNER],
        teams=[],
        password=PASSWORD,
    )


def submission(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "children": [
            {
                "first_name": "Kai",
                "last_name": "Ward",
                "date_of_birth": date(2016, 2, 3),
                "address": "4 Mill Lane",
                "postcode": "nb1 2cd",
            }
        ],
        "concern": "Kai said he was hit at home.",
        "actions_taken": "Told our safeguarding lead.",
        "consent": Contact.Consent.GIVEN,
        "referrer_name": "PC Dana Webb",
        "referrer_phone": "01632 960123",
        "referrer_email": "dana.webb@example.org",
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit():
    def make(actor: Any, **overrides: Any) -> Contact:
        return contact_submit(actor=actor, **submission(**overrides))

    return make
