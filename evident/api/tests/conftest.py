from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from evident.accounts.models import Organisation
from evident.api.services import api_token_create


@pytest.fixture
def other_police(db: Any) -> Organisation:
    return Organisation.objects.create(name="Other Police", kind=Organisation.Kind.POLICE)


@pytest.fixture
def police_token(police: Organisation) -> Any:
    return api_token_create(organisation=police, name="PPN sender")


@pytest.fixture
def other_token(other_police: Organisation) -> Any:
    return api_token_create(organisation=other_police, name="Their sender")


def bearer(made: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {made.token}"}


@pytest.fixture
def notice() -> dict[str, Any]:
    """A valid public protection notice, as a police force's system would send it."""
    return {
        "sender_reference": "PPN-2026-0001",
        "occurred_at": "2026-03-01T22:15:00+00:00",
        "concern": "Domestic abuse incident at the home; the children were present.",
        "actions_taken": "Officers attended; the adult was arrested.",
        "children": [
            {
                "first_name": "Amelia",
                "last_name": "Stone",
                "date_of_birth": date(2019, 5, 4).isoformat(),
                "postcode": "nb1 2ab",
            },
            {"first_name": "Jack", "last_name": "Stone", "approximate_age": "about 3"},
        ],
        "consent": "not_sought",
        "referrer_name": "PC Dana Hill",
        "referrer_phone": "01632 960123",
        "referrer_email": "dana.hill@police.example.org",
    }
