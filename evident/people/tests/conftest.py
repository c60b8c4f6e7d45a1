"""People fixtures: a quick way to put a person on record without the service's checks."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from evident.people.models import Address, Person, PersonAlias

_numbers = itertools.count(1)


@pytest.fixture
def make_person(db: Any):
    def make(
        first_name: str = "Jo",
        last_name: str = "Smith",
        *,
        date_of_birth: date | None = date(2015, 3, 4),
        postcode: str = "",
        previous_postcode: str = "",
        aliases: tuple[tuple[str, str], ...] = (),
        **fields: Any,
    ) -> Person:
        person = Person.objects.create(
            council_id=fields.pop("council_id", f"T{next(_numbers):07d}"),
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            **fields,
        )
        if previous_postcode:
            Address.objects.create(
                person=person,
                line_1="1 Old Road",
                postcode=previous_postcode,
                start_date=date(2016, 1, 1),
                end_date=date(2020, 1, 1),
            )
        if postcode:
            Address.objects.create(
                person=person, line_1="2 New Street", postcode=postcode, start_date=date(2020, 1, 1)
            )
        for alias_first, alias_last in aliases:
            PersonAlias.objects.create(person=person, first_name=alias_first, last_name=alias_last)
        return person

    return make
