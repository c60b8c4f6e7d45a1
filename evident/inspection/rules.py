"""The ILACS framework as data and plain functions (reference.md §2): which judgement areas
are graded on a date, when the next graded inspection is likely, when an action plan is due,
what an action's RAG rating should be, and what a file really is (by its bytes).

Everything here is testable without a database or HTTP.
"""

from __future__ import annotations

import enum
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from evident.core.working_days import WorkingDayCalendar, council_calendar


class Area(enum.StrEnum):
    LEADERS = "leaders"
    HELP_AND_PROTECTION = "help_protection"
    CHILDREN_IN_CARE_AND_CARE_LEAVERS = "care_and_leavers"  # before 1 January 2023
    CHILDREN_IN_CARE = "children_in_care"
    CARE_LEAVERS = "care_leavers"
    OVERALL = "overall"

    @property
    def label(self) -> str:
        return AREA_LABELS[self]


AREA_LABELS = {
    Area.LEADERS: "The impact of leaders on social work practice with children and families",
    Area.HELP_AND_PROTECTION: (
        "The experiences and progress of children who need help and protection"
    ),
    Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS: (
        "The experiences and progress of children in care and care leavers"
    ),
    Area.CHILDREN_IN_CARE: "The experiences and progress of children in care",
    Area.CARE_LEAVERS: "The experiences and progress of care leavers",
    Area.OVERALL: "Overall effectiveness",
}

# 1 (best) to 4, as Ofsted codes them.
GRADES = {1: "Outstanding", 2: "Good", 3: "Requires improvement to be good", 4: "Inadequate"}

CARE_LEAVERS_SEPARATE_FROM = date(2023, 1, 1)
NO_OVERALL_FROM = date(2026, 4, 1)


@dataclass(frozen=True)
class FrameworkVersion:
    name: str
    starts: date
    areas: tuple[Area, ...]


FRAMEWORK_VERSIONS = (
    FrameworkVersion(
        "ILACS 2018",
        date(2018, 1, 1),
        (
            Area.OVERALL,
            Area.LEADERS,
            Area.HELP_AND_PROTECTION,
            Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        ),
    ),
    FrameworkVersion(
        "ILACS 2023 (care leavers judged separately)",
        CARE_LEAVERS_SEPARATE_FROM,
        (
            Area.OVERALL,
            Area.LEADERS,
            Area.HELP_AND_PROTECTION,
            Area.CHILDREN_IN_CARE,
            Area.CARE_LEAVERS,
        ),
    ),
    FrameworkVersion(
        "ILACS April 2026 (no overall effectiveness)",
        NO_OVERALL_FROM,
        (Area.LEADERS, Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE, Area.CARE_LEAVERS),
    ),
)


def framework_on(day: date) -> FrameworkVersion:
    """The framework version in force on ``day`` (an inspection's first day on site)."""
    if day < FRAMEWORK_VERSIONS[0].starts:
        raise ValueError(f"ILACS did not exist on {day:%d %B %Y}: it started in January 2018")
    current = FRAMEWORK_VERSIONS[0]
    for version in FRAMEWORK_VERSIONS:
        if version.starts <= day:
            current = version
    return current


def areas_graded_on(day: date) -> tuple[Area, ...]:
    return framework_on(day).areas


def headline_area(day: date) -> Area:
    """The judgement the cycle keys on: overall effectiveness while it exists, then leaders."""
    areas = areas_graded_on(day)
    return Area.OVERALL if Area.OVERALL in areas else Area.LEADERS


# --- The cycle (reference.md §2.4): observed years from a judgement to the next inspection.


@dataclass(frozen=True)
class Gap:
    median: float
    earliest: float
    latest: float


DEFAULT_CYCLE_YEARS: dict[int, Gap] = {
    1: Gap(4.7, 2.9, 5.4),  # outstanding -> short, n=18
    2: Gap(4.9, 2.9, 5.7),  # good -> short, n=34
    3: Gap(4.2, 2.7, 5.3),  # requires improvement -> standard, n=41
    4: Gap(3.7, 2.5, 4.7),  # inadequate -> standard, n=15
}


def cycle_years() -> dict[int, Gap]:
    """The defaults, or a council's own (``EVIDENT_INSPECTION_CYCLE_YEARS`` = {grade:
    (median, earliest, latest)}) if it has evidence of a different rhythm."""
    configured = getattr(settings, "EVIDENT_INSPECTION_CYCLE_YEARS", None)
    if not configured:
        return DEFAULT_CYCLE_YEARS
    return {int(g): Gap(*map(float, v)) for g, v in configured.items()}


@dataclass(frozen=True)
class Window:
    judged_on: date
    grade: int
    earliest: date
    likely: date
    latest: date
    next_kind: str  # "short" or "standard"


def _add_years(day: date, years: float) -> date:
    return day + timedelta(days=round(years * 365.25))


def next_inspection_window(*, judged_on: date, grade: int) -> Window:
    if grade not in GRADES:
        raise ValueError(f"A grade is 1 to 4, not {grade}")
    gap = cycle_years()[grade]
    return Window(
        judged_on=judged_on,
        grade=grade,
        earliest=_add_years(judged_on, gap.earliest),
        likely=_add_years(judged_on, gap.median),
        latest=_add_years(judged_on, gap.latest),
        next_kind="short" if grade <= 2 else "standard",
    )


# --- Notice and plan deadlines (reference.md §2.3; the figures are not verified from Ofsted
# text, so both are settings).

NOTICE_WORKING_DAYS = {"jtai": 10}
DEFAULT_NOTICE_WORKING_DAYS = 5
DEFAULT_PLAN_WORKING_DAYS = 70


def notice_working_days(kind: str) -> int:
    configured = getattr(settings, "EVIDENT_NOTICE_WORKING_DAYS", {}) or {}
    if kind in configured:
        return int(configured[kind])
    return NOTICE_WORKING_DAYS.get(kind, DEFAULT_NOTICE_WORKING_DAYS)


def onsite_start_after_notice(
    *, kind: str, notified_on: date, calendar: WorkingDayCalendar | None = None
) -> date:
    calendar = calendar or council_calendar()
    return calendar.add_working_days(notified_on, notice_working_days(kind))


def plan_due_on(*, published_on: date, calendar: WorkingDayCalendar | None = None) -> date:
    """The improvement plan is due this many working days after the letter or report."""
    calendar = calendar or council_calendar()
    days = int(getattr(settings, "EVIDENT_PLAN_WORKING_DAYS", DEFAULT_PLAN_WORKING_DAYS))
    return calendar.add_working_days(published_on, days)


# --- RAG for an improvement action.


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {
            "red": "Red",
            "amber": "Amber",
            "green": "Green",
            "complete": "Complete",
        }[self.value]


AMBER_WITHIN_DAYS = 14


def suggested_rag(*, status: str, due_on: date, today: date, completed_on: date | None) -> Rag:
    """Overdue and not done is red; off track, or due within two weeks and not started, is
    amber; done is complete; anything else is green."""
    if status == "done" or completed_on is not None:
        return Rag.COMPLETE
    if due_on < today:
        return Rag.RED
    if status == "off_track":
        return Rag.AMBER
    if status == "not_started" and (due_on - today).days <= AMBER_WITHIN_DAYS:
        return Rag.AMBER
    return Rag.GREEN


def board_action_rag(*, due_on: date | None, done_on: date | None, today: date) -> Rag:
    """A board's own action: done is complete, past its date red, due within two weeks
    amber, otherwise (or with no date recorded) green."""
    if done_on is not None:
        return Rag.COMPLETE
    if due_on is None:
        return Rag.GREEN
    if due_on < today:
        return Rag.RED
    return Rag.AMBER if (due_on - today).days <= AMBER_WITHIN_DAYS else Rag.GREEN


# --- Uploaded files: what they are by their bytes, never by their name.

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
DOC = FileKind("application/msword", "doc", "Word (97-2003)")
PNG = FileKind("image/png", "png", "PNG image")
JPEG = FileKind("image/jpeg", "jpg", "JPEG image")
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
)


def sniff(content: bytes) -> FileKind | None:
    """PDF, Word or an image, told from the content; None for anything else (a renamed
    script, an HTML page, a spreadsheet)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(_OLE):
        return DOC
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None
