"""Front-door indicators."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from evident.core.clocks import CONTACT_DECISION
from evident.core.working_days import council_calendar
from evident.front_door.models import ContactChild, Decision
from evident.performance.indicators.base import Indicator, Unit, timed_status
from evident.performance.indicators.registry import register
from evident.performance.periods import month_of


def contact_decision_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per child per contact received in [start, end). On time when the decision
    was authorised by the contact's decision clock; late when authorised after it, or not
    authorised once it has passed; pending while still within time and not authorised.

    One query; due times are worked out here from the cached working-day calendar.
    """
    calendar = council_calendar()
    # No ORDER BY: the trend only counts, and the drill-down sorts its month in Python.
    rows = (
        ContactChild.objects.filter(contact__received_at__gte=start, contact__received_at__lt=end)
        .order_by()
        .values_list(
            "person_id",
            "person__council_id",
            "person__date_of_birth",
            "person__expected_date_of_birth",
            "contact__received_at",
            "decision__status",
            "decision__authorised_at",
        )
    )
    authorised_status = Decision.Status.AUTHORISED.value
    for person_id, child_id, born, expected, received_at, status, authorised_at in rows:
        due_at = CONTACT_DECISION.due_at(received_at, calendar)
        completed_at = authorised_at if status == authorised_status else None
        outcome = timed_status(completed_at=completed_at, due_at=due_at, now=now)
        yield Unit(
            month=month_of(received_at),
            status=outcome,
            person_id=person_id,
            child_id=child_id,
            date_of_birth=born,
            expected_date_of_birth=expected,
            started_at=received_at,
            due_at=due_at,
            completed_at=completed_at,
        )


CONTACT_DECISIONS_ON_TIME = register(
    Indicator(
        code="contact-decisions-on-time",
        title="Contacts with a decision within 1 working day",
        definition=(
            "Of the children on contacts received in the month, the share whose decision on "
            "what happens next was authorised by a manager within 1 working day of the contact "
            "arriving (by the same time on the next working day; a contact received on a "
            "weekend or bank holiday is due by the end of the next working day). A child "
            "still waiting whose time has not yet run out is not counted until it does."
        ),
        numerator="Children whose decision was authorised on or before the time it was due",
        denominator=(
            "Children on contacts received in the month whose decision has been authorised, "
            "or whose time has run out"
        ),
        higher_is_better=True,
        units=contact_decision_units,
        unit_noun="child on a contact",
        started_label="Contact received",
        due_label="Decision due",
        completed_label="Decision authorised",
    )
)
