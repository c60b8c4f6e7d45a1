"""Front-door indicators."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q

from evident.core.clocks import CONTACT_DECISION
from evident.core.working_days import council_calendar
from evident.front_door.models import ContactChild, Decision
from evident.performance.indicators.base import Indicator, Unit, shared_read, timed_status
from evident.performance.indicators.registry import register
from evident.performance.periods import month_of

CONTACT_FIELDS = (
    "person_id",
    "person__council_id",
    "person__date_of_birth",
    "person__expected_date_of_birth",
    "contact__received_at",
    "contact__source",
    "contact__consent",
    "decision__status",
    "decision__outcome",
    "decision__authorised_at",
    "voice_known",
    "voice_views",
)


@shared_read
def contact_rows(start: datetime, end: datetime) -> Iterator[dict[str, object]]:
    """Every child on every contact received in [start, end): one query, no ordering (the
    trend only counts; the drill-down sorts its month). Every front-door indicator about
    a child on a contact counts these rows, so a page of them reads them once."""
    yield from (
        ContactChild.objects.filter(contact__received_at__gte=start, contact__received_at__lt=end)
        .order_by()
        # Whether a reason is on the contact, without reading the text itself.
        .annotate(
            consent_reason_given=ExpressionWrapper(
                ~Q(contact__consent_reason=""), output_field=BooleanField()
            )
        )
        .values(*CONTACT_FIELDS, "consent_reason_given")
    )


def contact_decision_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per child per contact received in [start, end). On time when the decision
    was authorised by the contact's decision clock; late when authorised after it, or not
    authorised once it has passed; pending while still within time and not authorised.

    Due times are worked out here from the cached working-day calendar.
    """
    calendar = council_calendar()
    authorised_status = Decision.Status.AUTHORISED.value
    for row in contact_rows(start, end):
        received_at = row["contact__received_at"]
        assert isinstance(received_at, datetime)  # noqa: S101 (a non-null column)
        due_at = CONTACT_DECISION.due_at(received_at, calendar)
        authorised_at = row["decision__authorised_at"]
        completed_at = authorised_at if row["decision__status"] == authorised_status else None
        outcome = timed_status(
            completed_at=completed_at,  # type: ignore[arg-type]
            due_at=due_at,
            now=now,
        )
        yield Unit(
            month=month_of(received_at),
            status=outcome,
            person_id=row["person_id"],  # type: ignore[arg-type]
            child_id=str(row["person__council_id"]),
            date_of_birth=row["person__date_of_birth"],  # type: ignore[arg-type]
            expected_date_of_birth=row["person__expected_date_of_birth"],  # type: ignore[arg-type]
            started_at=received_at,
            due_at=due_at,
            completed_at=completed_at,  # type: ignore[arg-type]
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
