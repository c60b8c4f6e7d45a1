"""The Annex A lists (reference.md §1.1-1.3). Lists 2-11 are added here as they are built."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import F
from django.db.models.functions import TruncDate

from evident.core.clocks import LONDON
from evident.core.codes import REFERRAL_SOURCE_ANNEX_A
from evident.front_door.models import ContactChild
from evident.performance.annex_a.base import AnnexAList, Column, Kind, Row, field, register_list
from evident.performance.annex_a.columns import CHILD_COLUMNS, PERSON_VALUES
from evident.performance.periods import same_day_months_before, start_of_day

WINDOW_MONTHS = 6


def reporting_window(as_of: date, months: int = WINDOW_MONTHS) -> tuple[date, date]:
    """The first and last local dates of the "previous six months": from the same date
    six months before the as-of date (the month's last day when shorter) up to and
    including the as-of date. 27 March 2026 gives 27 September 2025 to 27 March 2026."""
    return same_day_months_before(as_of, months), as_of


def list_1_rows(as_of: date) -> Iterator[Row]:
    """Every child on every contact received in the window, by date of contact then child
    ID. One SQL statement over contacts joined to people; the local date is worked out
    by the database."""
    first, last = reporting_window(as_of)
    return (
        ContactChild.objects.filter(
            contact__received_at__gte=start_of_day(first),
            contact__received_at__lt=start_of_day(last + timedelta(days=1)),
        )
        .annotate(contact_date=TruncDate("contact__received_at", tzinfo=LONDON))
        .order_by("contact_date", "person__council_id", "contact__received_at")
        .values(
            "contact_date",
            source=F("contact__source"),
            **{key: F(path) for key, path in PERSON_VALUES.items()},
        )
        .iterator(chunk_size=10_000)
    )


LIST_1 = register_list(
    AnnexAList(
        number=1,
        sheet="List 1",
        title="Contacts",
        population=(
            "One row for each child on each contact received in the six months before the "
            "as-of date: from the same date six months earlier to the as-of date, both days "
            "included, in UK time."
        ),
        columns=(
            *CHILD_COLUMNS,
            Column("Date of Contact", Kind.DATE, field("contact_date"), width=14),
            Column(
                "Contact Source",
                Kind.CODE,
                field("source"),
                labels=REFERRAL_SOURCE_ANNEX_A,
                width=26,
            ),
        ),
        rows=list_1_rows,
    )
)
