"""The Annex A lists (reference.md §1.1-1.3). Lists 2-11 are added here as they are built."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import F, Q
from django.db.models.functions import TruncDate

from evident.core.clocks import LONDON
from evident.core.codes import REFERRAL_SOURCE_ANNEX_A
from evident.front_door.models import ContactChild, EarlyHelpEpisode
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


def list_2_rows(as_of: date) -> Iterator[Row]:
    """Every early help episode whose assessment started in the window, plus every one
    still open on the as-of date (started by then, not ended by then), by assessment
    start date then child ID. One SQL statement."""
    first, last = reporting_window(as_of)
    in_window = Q(assessment_start_date__gte=first, assessment_start_date__lte=last)
    open_on_as_of = Q(assessment_start_date__lte=last) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=last)
    )
    return (
        EarlyHelpEpisode.objects.filter(in_window | open_on_as_of)
        .order_by("assessment_start_date", "person__council_id", "pk")
        .values(
            "assessment_start_date",
            "assessment_completion_date",
            "organisation_completing",
            **{key: F(path) for key, path in PERSON_VALUES.items()},
        )
        .iterator(chunk_size=10_000)
    )


LIST_2 = register_list(
    AnnexAList(
        number=2,
        sheet="List 2",
        title="Early help",
        population=(
            "One row for each early help assessment that started in the six months before the "
            "as-of date (from the same date six months earlier to the as-of date, both days "
            "included), plus every early help episode still open on the as-of date: started "
            "by then and not ended by then, however long ago it started."
        ),
        columns=(
            *CHILD_COLUMNS,
            Column("Assessment start date", Kind.DATE, field("assessment_start_date"), width=14),
            Column(
                "Assessment completion date",
                Kind.DATE,
                field("assessment_completion_date"),
                blank_ok=True,
                width=14,
            ),
            Column(
                "Organisation completing assessment",
                Kind.TEXT,
                field("organisation_completing"),
                width=30,
            ),
        ),
        rows=list_2_rows,
    )
)
