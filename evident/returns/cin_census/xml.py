"""The census file: writing it (streamed, lxml's incremental ``etree.xmlfile``), checking it
against the DfE schema for its year, and reading one back into records.

Element order follows the schema's sequences exactly; optional items with no value are
left out (the schema allows it), never written empty."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from lxml import etree

from evident.returns.cin_census.records import (
    FIRST_YEAR,
    SCHEMA_YEARS,
    Assessment,
    CensusPeriod,
    Child,
    CINPlan,
    CPPlan,
    Episode,
    Header,
    Section47,
)

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def schema_path(year: int) -> Path:
    """The schema for the census year ending 31 March ``year`` (the latest one at or
    before it: the 2025 schema serves 2025 onwards)."""
    if year < FIRST_YEAR:
        raise ValueError(f"Evident has no CIN census schema before {FIRST_YEAR}")
    chosen = max(y for y in SCHEMA_YEARS if y <= year)
    return SCHEMAS / f"CIN_schema_{chosen}.xsd"


@functools.cache
def _schema(path: Path) -> Any:
    return etree.XMLSchema(etree.parse(str(path)))


@functools.cache
def _enumeration(year: int, type_name: str) -> frozenset[str]:
    """The codes a schema allows for one of its simple types (assessment factors)."""
    tree = etree.parse(str(schema_path(year)))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    values = tree.xpath(
        f"//xs:simpleType[@name='{type_name}']//xs:enumeration/@value", namespaces=ns
    )
    return frozenset(str(v) for v in values)


@dataclass(frozen=True)
class SchemaError:
    line: int
    message: str


def schema_check(source: str | os.PathLike[str] | IO[bytes], *, year: int) -> list[SchemaError]:
    """Every schema error in the file (empty when valid). Parsed in full: lxml's schema
    validation needs the tree, which for a 100,000-child council's file is tens of MB."""
    schema = _schema(schema_path(year))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        document = etree.parse(
            source if not isinstance(source, os.PathLike) else str(source), parser
        )
    except etree.XMLSyntaxError as exc:
        return [SchemaError(line=exc.lineno or 0, message=f"Not well-formed XML: {exc.msg}")]
    if schema.validate(document):
        return []
    return [SchemaError(line=e.line, message=e.message) for e in schema.error_log]


# ---- writing -------------------------------------------------------------------------


@dataclass
class WriteResult:
    children: int = 0
    episodes: int = 0
    # "AssessmentFactors: 18A not in the schema" -> how many left out.
    left_out: Counter[str] = field(default_factory=Counter)


def _d(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _flag(value: bool | None) -> str:
    return "true" if value else "false"


class _Writer:
    def __init__(self, xf: Any, year: int, result: WriteResult) -> None:
        self.xf = xf
        self.uses_sex = year >= 2025
        self.factors = _enumeration(year, "assessmentfactorstype")
        self.result = result

    def item(self, name: str, value: str | None) -> None:
        if value is None or value == "":
            return
        element = etree.Element(name)
        element.text = value
        self.xf.write(element)

    def child(self, child: Child) -> None:
        xf, item = self.xf, self.item
        with xf.element("Child"):
            with xf.element("ChildIdentifiers"):
                item("LAchildID", child.la_child_id)
                item("UPN", child.upn)
                item("FormerUPN", child.former_upn)
                item("UPNunknown", child.upn_unknown)
                item("PersonBirthDate", _d(child.birth_date))
                item("ExpectedPersonBirthDate", _d(child.expected_birth_date))
                item("Sex" if self.uses_sex else "GenderCurrent", child.sex)
                item("PersonDeathDate", _d(child.death_date))
            with xf.element("ChildCharacteristics"):
                item("Ethnicity", child.ethnicity)
                if child.disabilities:
                    with xf.element("Disabilities"):
                        for code in child.disabilities:
                            item("Disability", code)
            for episode in child.episodes:
                self.episode(episode)
        self.result.children += 1

    def episode(self, episode: Episode) -> None:
        xf, item = self.xf, self.item
        with xf.element("CINdetails"):
            item("CINreferralDate", _d(episode.referral_date))
            item("ReferralSource", episode.referral_source)
            item("PrimaryNeedCode", episode.primary_need)
            item("CINclosureDate", _d(episode.closure_date))
            item("ReasonForClosure", episode.closure_reason)
            item("DateOfInitialCPC", _d(episode.initial_cpc_date))
            for assessment in episode.assessments:
                self.assessment(assessment)
            for plan in episode.cin_plans:
                with xf.element("CINPlanDates"):
                    item("CINPlanStartDate", _d(plan.start_date))
                    item("CINPlanEndDate", _d(plan.end_date))
            for s47 in episode.section47s:
                with xf.element("Section47"):
                    item("S47ActualStartDate", _d(s47.start_date))
                    item("InitialCPCtarget", _d(s47.initial_cpc_target))
                    item("DateOfInitialCPC", _d(s47.initial_cpc_date))
                    item("ICPCnotRequired", _flag(s47.icpc_not_required))
            item("ReferralNFA", _flag(episode.referral_nfa))
            for cpp in episode.cp_plans:
                self.cp_plan(cpp)
        self.result.episodes += 1

    def assessment(self, assessment: Assessment) -> None:
        item = self.item
        with self.xf.element("Assessments"):
            item("AssessmentActualStartDate", _d(assessment.start_date))
            item("AssessmentAuthorisationDate", _d(assessment.authorisation_date))
            factors = []
            for code in assessment.factors:
                if code in self.factors:
                    factors.append(code)
                else:
                    self.result.left_out[f"AssessmentFactors: {code} is not in the schema"] += 1
            if factors:
                with self.xf.element("FactorsIdentifiedAtAssessment"):
                    for code in factors:
                        item("AssessmentFactors", code)

    def cp_plan(self, plan: CPPlan) -> None:
        item = self.item
        with self.xf.element("ChildProtectionPlans"):
            item("CPPstartDate", _d(plan.start_date))
            item("CPPendDate", _d(plan.end_date))
            item("InitialCategoryOfAbuse", plan.initial_category)
            item("LatestCategoryOfAbuse", plan.latest_category)
            item(
                "NumberOfPreviousCPP",
                None if plan.previous_plans is None else str(plan.previous_plans),
            )
            if plan.review_dates:
                with self.xf.element("Reviews"):
                    for day in plan.review_dates:
                        item("CPPreviewDate", _d(day))


def census_xml_write(
    *,
    children: Iterable[Child],
    period: CensusPeriod,
    lea: str,
    out: str | os.PathLike[str] | IO[bytes],
    release: str = "",
    now: datetime | None = None,
) -> WriteResult:
    """Stream the census for ``period`` to ``out`` (a path or a binary file)."""
    result = WriteResult()
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    with etree.xmlfile(target, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("Message"):
            writer = _Writer(xf, period.year, result)
            with xf.element("Header"):
                with xf.element("CollectionDetails"):
                    writer.item("Collection", "CIN")
                    writer.item("Year", str(period.year))
                    writer.item("ReferenceDate", period.reference_date.isoformat())
                with xf.element("Source"):
                    writer.item("SourceLevel", "L")
                    writer.item("LEA", lea)
                    writer.item("SoftwareCode", "Evident")
                    writer.item("Release", release)
                    writer.item("SerialNo", "001")
                    writer.item(
                        "DateTime", (now or timezone.localtime()).replace(microsecond=0).isoformat()
                    )
            with xf.element("Children"):
                for child in children:
                    writer.child(child)
                    xf.flush()
    return result


# ---- reading -------------------------------------------------------------------------


def _text(element: Any, name: str) -> str:
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def _date(element: Any, name: str) -> date | None:
    raw = _text(element, name)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _bool(element: Any, name: str) -> bool | None:
    raw = _text(element, name).lower()
    if raw in {"true", "1"}:
        return True
    if raw in {"false", "0"}:
        return False
    return None


def _int(element: Any, name: str) -> int | None:
    raw = _text(element, name)
    return int(raw) if raw.isdigit() else None


def _episode(element: Any) -> Episode:
    return Episode(
        referral_date=_date(element, "CINreferralDate"),
        referral_source=_text(element, "ReferralSource"),
        primary_need=_text(element, "PrimaryNeedCode"),
        closure_date=_date(element, "CINclosureDate"),
        closure_reason=_text(element, "ReasonForClosure"),
        initial_cpc_date=_date(element, "DateOfInitialCPC"),
        referral_nfa=_bool(element, "ReferralNFA"),
        assessments=[
            Assessment(
                start_date=_date(a, "AssessmentActualStartDate"),
                authorisation_date=_date(a, "AssessmentAuthorisationDate"),
                factors=[
                    (f.text or "").strip()
                    for f in a.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
                ],
            )
            for a in element.iterfind("Assessments")
        ],
        cin_plans=[
            CINPlan(start_date=_date(p, "CINPlanStartDate"), end_date=_date(p, "CINPlanEndDate"))
            for p in element.iterfind("CINPlanDates")
        ],
        section47s=[
            Section47(
                start_date=_date(s, "S47ActualStartDate"),
                initial_cpc_target=_date(s, "InitialCPCtarget"),
                initial_cpc_date=_date(s, "DateOfInitialCPC"),
                icpc_not_required=_bool(s, "ICPCnotRequired"),
            )
            for s in element.iterfind("Section47")
        ],
        cp_plans=[
            CPPlan(
                start_date=_date(p, "CPPstartDate"),
                end_date=_date(p, "CPPendDate"),
                initial_category=_text(p, "InitialCategoryOfAbuse"),
                latest_category=_text(p, "LatestCategoryOfAbuse"),
                previous_plans=_int(p, "NumberOfPreviousCPP"),
                review_dates=[
                    d for r in p.iterfind("Reviews/CPPreviewDate") if (d := _parse(r.text))
                ],
            )
            for p in element.iterfind("ChildProtectionPlans")
        ],
    )


def _parse(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()) if raw else None
    except ValueError:
        return None


def _child(element: Any) -> Child:
    ids = element.find("ChildIdentifiers")
    ids = ids if ids is not None else etree.Element("ChildIdentifiers")
    traits = element.find("ChildCharacteristics")
    traits = traits if traits is not None else etree.Element("ChildCharacteristics")
    return Child(
        la_child_id=_text(ids, "LAchildID"),
        upn=_text(ids, "UPN"),
        former_upn=_text(ids, "FormerUPN"),
        upn_unknown=_text(ids, "UPNunknown"),
        birth_date=_date(ids, "PersonBirthDate"),
        expected_birth_date=_date(ids, "ExpectedPersonBirthDate"),
        sex=_text(ids, "Sex") or _text(ids, "GenderCurrent"),
        death_date=_date(ids, "PersonDeathDate"),
        ethnicity=_text(traits, "Ethnicity"),
        disabilities=[(d.text or "").strip() for d in traits.iterfind("Disabilities/Disability")],
        episodes=[_episode(e) for e in element.iterfind("CINdetails")],
    )


def census_xml_header(source: str | os.PathLike[str] | IO[bytes]) -> Header:
    """The header's year and reference date (read without loading the children)."""
    year: int | None = None
    reference: date | None = None
    lea = ""
    for _, element in etree.iterparse(
        source, events=("end",), resolve_entities=False, no_network=True
    ):
        tag = element.tag
        if tag == "Year":
            year = int(element.text) if (element.text or "").strip().isdigit() else None
        elif tag == "ReferenceDate":
            reference = _parse(element.text)
        elif tag == "LEA":
            lea = (element.text or "").strip()
        elif tag in {"Header", "Child"}:
            break
    return Header(year=year, reference_date=reference, lea=lea)


def census_xml_read(source: str | os.PathLike[str] | IO[bytes]) -> Iterator[Child]:
    """The children in a census file, one at a time (each freed once read)."""
    for _, element in etree.iterparse(
        source,
        events=("end",),
        tag="Child",
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    ):
        yield _child(element)
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
