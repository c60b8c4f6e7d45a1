"""The annual LADO report: volumes by sector, source, category and outcome, and timeliness,
for a reporting year (1 April to 31 March) and the year before it. One function gathers the
numbers; the page, the PDF and the workbook all show the same ones."""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from evident.core.clocks import LONDON
from evident.lado.models import (
    Category,
    LadoConsideration,
    LadoReferral,
    Outcome,
    Sector,
    Source,
)
from evident.lado.selectors import timeliness

SHEET_NAMES = {
    "sector": "Sector",
    "referral_sector": "Referrals by sector",
    "source": "Source",
    "category": "Category",
    "outcome": "Outcome",
}
MEETING_WORKING_DAYS = 5  # domain.md: the meeting "often within 5 working days"
CONCLUDE_DAYS = 92  # "aim to conclude within 3 months"


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The reporting year starting 1 April ``year``, as London-time datetimes."""
    start = datetime.combine(date(year, 4, 1), time.min, tzinfo=LONDON)
    end = datetime.combine(date(year + 1, 4, 1), time.min, tzinfo=LONDON)
    return start, end


def current_year(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def year_label(year: int) -> str:
    return f"{year} to {year + 1}"


@dataclass(frozen=True)
class Breakdown:
    title: str
    key: str
    rows: list[tuple[str, int, int]]  # label, this year, last year

    @property
    def heading(self) -> str:
        """The first column's heading: what the rows are."""
        return {"referral_sector": "Sector"}.get(self.key, self.key.capitalize())


@dataclass(frozen=True)
class YearFigures:
    contacts: int
    referrals: int  # harm test met
    advice: int  # advice only
    not_met: int
    awaiting: int
    considered_in_1_day: int
    considered: int
    meeting_in_5_days: int
    meetings: int
    concluded: int
    concluded_in_3_months: int
    median_days_to_conclusion: float | int | None


@dataclass(frozen=True)
class AnnualReport:
    year: int
    this: YearFigures
    last: YearFigures
    breakdowns: list[Breakdown]

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def last_label(self) -> str:
        return year_label(self.year - 1)

    def summary_rows(self) -> list[tuple[str, Any, Any]]:
        def pct(n: int, d: int) -> str:
            return f"{round(100 * n / d)}%" if d else "No data"

        t, last = self.this, self.last
        return [
            ("Contacts to the LADO (all)", t.contacts, last.contacts),
            ("Referrals meeting the harm test", t.referrals, last.referrals),
            ("Advice only", t.advice, last.advice),
            ("Harm test not met", t.not_met, last.not_met),
            ("Awaiting consideration", t.awaiting, last.awaiting),
            (
                "Initial consideration within 1 working day",
                pct(t.considered_in_1_day, t.considered),
                pct(last.considered_in_1_day, last.considered),
            ),
            (
                f"First meeting within {MEETING_WORKING_DAYS} working days",
                pct(t.meeting_in_5_days, t.meetings),
                pct(last.meeting_in_5_days, last.meetings),
            ),
            ("Concluded", t.concluded, last.concluded),
            (
                "Concluded within 3 months",
                pct(t.concluded_in_3_months, t.concluded),
                pct(last.concluded_in_3_months, last.concluded),
            ),
            (
                "Median days to conclusion",
                _days(t.median_days_to_conclusion),
                _days(last.median_days_to_conclusion),
            ),
        ]


def _days(value: float | int | None) -> float | int | str:
    if value is None:
        return "No data"
    return int(value) if float(value).is_integer() else value


def _received_in(scope: QuerySet[LadoReferral], year: int) -> list[LadoReferral]:
    start, end = year_bounds(year)
    return list(
        scope.filter(received_at__gte=start, received_at__lt=end)
        .select_related("consideration")
        .prefetch_related("meetings")
    )


def _decision(referral: LadoReferral) -> str:
    try:
        return referral.consideration.decision
    except LadoConsideration.DoesNotExist:
        return ""


def _figures(referrals: list[LadoReferral]) -> YearFigures:
    decisions = Counter(_decision(r) for r in referrals)
    considered = in_1 = meetings = in_5 = concluded = in_3m = 0
    days: list[int] = []
    for r in referrals:
        meeting_dates = sorted(m.held_on for m in r.meetings.all())
        t = timeliness(r, first_meeting=meeting_dates[0] if meeting_dates else None)
        if t.working_days_to_consideration is not None:
            considered += 1
            in_1 += not t.consideration_late
        if t.working_days_to_first_meeting is not None:
            meetings += 1
            in_5 += t.working_days_to_first_meeting <= MEETING_WORKING_DAYS
        if t.days_to_conclusion is not None:
            concluded += 1
            in_3m += t.days_to_conclusion <= CONCLUDE_DAYS
            days.append(t.days_to_conclusion)
    return YearFigures(
        contacts=len(referrals),
        referrals=decisions[LadoConsideration.Decision.MET],
        advice=decisions[LadoConsideration.Decision.ADVICE],
        not_met=decisions[LadoConsideration.Decision.NOT_MET],
        awaiting=decisions[""],
        considered_in_1_day=in_1,
        considered=considered,
        meeting_in_5_days=in_5,
        meetings=meetings,
        concluded=concluded,
        concluded_in_3_months=in_3m,
        median_days_to_conclusion=round(statistics.median(days), 1) if days else None,
    )


def _breakdown(
    title: str,
    key: str,
    choices: list[tuple[str, str]],
    this: list[LadoReferral],
    last: list[LadoReferral],
    attr: str,
) -> Breakdown:
    a = Counter(getattr(r, attr) for r in this)
    b = Counter(getattr(r, attr) for r in last)
    return Breakdown(
        title=title,
        key=key,
        rows=[(str(label), a[value], b[value]) for value, label in choices],
    )


def annual_report(*, scope: QuerySet[LadoReferral], year: int) -> AnnualReport:
    """The numbers for ``year`` and the year before, from the records in ``scope`` (the
    caller's LADO scope: no one else's report counts anything)."""
    this, last = _received_in(scope, year), _received_in(scope, year - 1)
    this_met = [r for r in this if _decision(r) == LadoConsideration.Decision.MET]
    last_met = [r for r in last if _decision(r) == LadoConsideration.Decision.MET]
    return AnnualReport(
        year=year,
        this=_figures(this),
        last=_figures(last),
        breakdowns=[
            _breakdown("Contacts by sector", "sector", Sector.choices, this, last, "sector"),
            _breakdown(
                "Referrals meeting the harm test by sector",
                "referral_sector",
                Sector.choices,
                this_met,
                last_met,
                "sector",
            ),
            _breakdown("Contacts by source", "source", Source.choices, this, last, "source"),
            _breakdown(
                "Referrals by category of abuse",
                "category",
                Category.choices,
                this_met,
                last_met,
                "category",
            ),
            _breakdown(
                "Outcomes of referrals received in the year",
                "outcome",
                [("", "Not yet concluded"), *Outcome.choices],
                this_met,
                last_met,
                "outcome",
            ),
        ],
    )


def chart_data(report: AnnualReport) -> list[dict[str, Any]]:
    """One bar chart per breakdown, this year beside last (JSON data islands)."""
    return [
        {
            "id": f"chart-{b.key}",
            "title": b.title,
            "yTitle": "Number",
            "labels": [label for label, _, _ in b.rows],
            "datasets": [
                {"label": report.label, "data": [n for _, n, _ in b.rows], "colour": "#1d70b8"},
                {
                    "label": report.last_label,
                    "data": [n for _, _, n in b.rows],
                    "colour": "#b1b4b6",
                },
            ],
        }
        for b in report.breakdowns
    ]


def report_pdf(report: AnnualReport, *, council_name: str) -> bytes:
    """The report as a PDF (WeasyPrint): the same tables, printed."""
    from weasyprint import HTML

    html = render_to_string(
        "lado/report_pdf.html",
        {"report": report, "council_name": council_name, "generated": timezone.localtime()},
    )
    return bytes(HTML(string=html).write_pdf())


def report_xlsx(report: AnnualReport, *, council_name: str) -> bytes:
    """The report as a workbook (XlsxWriter): a summary sheet and one sheet per breakdown."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})

    def sheet(name: str, heading: str, rows: list[tuple[Any, ...]]) -> None:
        ws = book.add_worksheet(name[:31])
        ws.write(0, 0, heading, title)
        ws.write_row(2, 0, ["", report.label, report.last_label], bold)
        for i, row in enumerate(rows, start=3):
            ws.write_row(i, 0, list(row))
        ws.set_column(0, 0, 48)
        ws.set_column(1, 2, 16)
        ws.freeze_panes(3, 0)

    sheet("Summary", f"{council_name}: LADO annual report {report.label}", report.summary_rows())
    for b in report.breakdowns:
        sheet(SHEET_NAMES.get(b.key, b.key.capitalize()), b.title, b.rows)
    book.close()
    return buffer.getvalue()
