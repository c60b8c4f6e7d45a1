"""Writing the CIN census and checking it, each recorded in the audit trail (security.md R6):
the census and its check read every child in need's record council-wide."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.people.models import Person
from evident.returns.cin_census.extract import census_children
from evident.returns.cin_census.records import FIRST_YEAR, CensusPeriod, Child
from evident.returns.cin_census.validation import ValidationReport, census_validate
from evident.returns.cin_census.xml import (
    SchemaError,
    WriteResult,
    census_xml_header,
    census_xml_read,
    census_xml_write,
    schema_check,
)

RECORD_TYPE = "returns.cin_census"


class CensusFileError(ValueError):
    """The file cannot be checked at all (not XML, or no census year in its header)."""


def _release() -> str:
    try:
        return version("evident")
    except PackageNotFoundError:
        return ""


@transaction.atomic
def census_export(
    *,
    actor: Any,
    year: int,
    out: str | os.PathLike[str] | IO[bytes],
    path: str = "",
    detail: dict[str, Any] | None = None,
) -> tuple[CensusPeriod, WriteResult, float]:
    """Write the census for the year ending 31 March ``year`` and one EXPORT audit event."""
    if year < FIRST_YEAR:
        raise ValueError(f"The census can be written for {FIRST_YEAR} onwards")
    started = time.perf_counter()
    period = CensusPeriod.for_year(year)
    result = census_xml_write(
        children=census_children(period),
        period=period,
        lea=settings.EVIDENT_COUNCIL_LA_CODE,
        out=out,
        release=_release(),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        record_type=RECORD_TYPE,
        record_id=str(year),
        section="CIN census",
        path=path,
        detail={
            "year": year,
            "children": result.children,
            "episodes": result.episodes,
            **(detail or {}),
        },
    )
    return period, result, time.perf_counter() - started


@dataclass
class CheckResult:
    report: ValidationReport
    schema_errors: list[SchemaError] = field(default_factory=list)
    source: str = ""  # "live" or the file's name


def _link_people(children: list[Child]) -> list[Child]:
    """Match a file's children to people by LAchildID, so each failure links to a record."""
    ids = [c.la_child_id for c in children if c.la_child_id and c.person_id is None]
    found: dict[str, Any] = {}
    for start in range(0, len(ids), 5_000):
        found.update(
            Person.objects.filter(council_id__in=ids[start : start + 5_000]).values_list(
                "council_id", "id"
            )
        )
    for child in children:
        if child.person_id is None:
            child.person_id = found.get(child.la_child_id)
    return children


def census_check_live(*, actor: Any, as_of: date, path: str = "") -> CheckResult:
    """Run the rules over the live records for the census year up to ``as_of``."""
    period = CensusPeriod.as_of(as_of)
    report = census_validate(census_children(period), period)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record_type=RECORD_TYPE,
            record_id=f"live-{as_of.isoformat()}",
            section="CIN census check",
            path=path,
            detail={"as_of": as_of.isoformat(), "children": report.children_checked},
        )
    return CheckResult(report=report, source="live")


def census_check_file(
    *, actor: Any, source: str | os.PathLike[str] | IO[bytes], name: str, path: str = ""
) -> CheckResult:
    """Check a census file: the schema for its year first, then the rules. The failures
    for children the council holds link to their records."""
    try:
        header = census_xml_header(source)
    except Exception as exc:  # lxml raises its own syntax errors
        raise CensusFileError(f"{name} is not a CIN census XML file: {exc}") from exc
    year = header.year or (header.reference_date.year if header.reference_date else None)
    if year is None:
        raise CensusFileError(f"{name} has no census Year or ReferenceDate in its header")
    if year < FIRST_YEAR:
        raise CensusFileError(
            f"{name} is for {year}: files can be checked for {FIRST_YEAR} onwards"
        )
    _rewind(source)
    errors = schema_check(source, year=year)
    _rewind(source)
    period = CensusPeriod(
        start=date(year - 1, 4, 1), reference_date=header.reference_date or date(year, 3, 31)
    )
    try:
        children = _link_people(list(census_xml_read(source)))
    except Exception as exc:
        raise CensusFileError(f"{name} could not be read: {exc}") from exc
    report = census_validate(children, period, header)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            record_type=RECORD_TYPE,
            record_id=f"file-{year}",
            section="CIN census check",
            path=path,
            detail={"file": name, "year": year, "children": report.children_checked},
        )
    return CheckResult(report=report, schema_errors=errors, source=name)


def _rewind(source: Any) -> None:
    if hasattr(source, "seek"):
        source.seek(0)
