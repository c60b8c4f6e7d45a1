"""Ages for rows read with ``values()``: the rule stays ``Person.age_on`` (unborn is -1)."""

from __future__ import annotations

import functools
from datetime import date

from evident.people.models import Person


@functools.lru_cache(maxsize=65_536)
def age_on(
    date_of_birth: date | None, expected_date_of_birth: date | None, day: date
) -> int | None:
    """Completed years on ``day``. Cached, so an export builds one unsaved Person per
    distinct birth date rather than one per row."""
    person = Person(date_of_birth=date_of_birth, expected_date_of_birth=expected_date_of_birth)
    return person.age_on(day)
