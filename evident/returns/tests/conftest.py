from __future__ import annotations

from typing import Any

import pytest

from evident.accounts.models import User
from evident.returns.cin_census.sample import sample_casework

YEAR = 2026


@pytest.fixture
def small_council(personas: dict[str, User]) -> dict[str, User]:
    """Forty children with census-year casework (plans, enquiries, conferences, closures)."""
    sample_casework(children=40, year=YEAR, user=personas["socialworker"], seed=3)
    return personas


@pytest.fixture
def anyone(db: Any) -> None:
    return None
