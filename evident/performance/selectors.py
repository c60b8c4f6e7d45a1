"""Reads that show children's records, audited before they are returned."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from evident.audit.services import audit_people_read
from evident.people.models import Person
from evident.performance.indicators import Indicator, Unit, indicator_month_units
from evident.performance.periods import month_label


@transaction.atomic
def indicator_month_read(
    *, actor: Any, indicator: Indicator, month: date, now: datetime, path: str = ""
) -> list[Unit]:
    """The children counted in one month. Listing their council IDs is a read of each
    child's record: one audit event per child (however many rows), written first."""
    units = indicator_month_units(indicator, month=month, now=now)
    person_ids = list(dict.fromkeys(unit.person_id for unit in units))
    people = list(Person.objects.filter(pk__in=person_ids).only("id"))
    audit_people_read(
        actor=actor,
        people=people,
        section=f"Indicator {indicator.code}: {month_label(month)}",
        path=path,
    )
    return units
