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
    return [
        SchemaError(line=e.line, message=f"{e.message} (at {e.path})" if e.path else e.message)
        for e in schema.error_log
    ]


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


_Sub = etree.SubElement


def _item(parent: Any, name: str, value: str | None) -> None:
    if value is not None and value != "":
        _Sub(parent, name).text = value


class _Writer:
    """Builds one child's subtree at a time; the caller writes it and lets it go."""

    def __init__(self, year: int, result: WriteResult) -> None:
        self.uses_sex = year >= 2025
        self.factors = _enumeration(year, "assessmentfactorstype")
        self.result = result

    def child(self, child: Child) -> Any:
        root = etree.Element("Child")
        ids = _Sub(root, "ChildIdentifiers")
        _item(ids, "LAchildID", child.la_child_id)
        _item(ids, "UPN", child.upn)
        _item(ids, "FormerUPN", child.former_upn)
        _item(ids, "UPNunknown", child.upn_unknown)
        _item(ids, "PersonBirthDate", _d(child.birth_date))
        _item(ids, "ExpectedPersonBirthDate", _d(child.expected_birth_date))
        _item(ids, "Sex" if self.uses_sex else "GenderCurrent", child.sex)
        _item(ids, "PersonDeathDate", _d(child.death_date))
        traits = _Sub(root, "ChildCharacteristics")
        _item(traits, "Ethnicity", child.ethnicity)
        if child.disabilities:
            disabilities = _Sub(traits, "Disabilities")
            for code in child.disabilities:
                _item(disabilities, "Disability", code)
        for episode in child.episodes:
            self.episode(root, episode)
        self.result.children += 1
        return root

    def episode(self, root: Any, episode: Episode) -> None:
        cin = _Sub(root, "CINdetails")
        _item(cin, "CINreferralDate", _d(episode.referral_date))
        _item(cin, "ReferralSource", episode.referral_source)
        _item(cin, "PrimaryNeedCode", episode.primary_need)
        _item(cin, "CINclosureDate", _d(episode.closure_date))
        _item(cin, "ReasonForClosure", episode.closure_reason)
        _item(cin, "DateOfInitialCPC", _d(episode.initial_cpc_date))
        for assessment in episode.assessments:
            self.assessment(cin, assessment)
        for plan in episode.cin_plans:
            dates = _Sub(cin, "CINPlanDates")
            _item(dates, "CINPlanStartDate", _d(plan.start_date))
            _item(dates, "CINPlanEndDate", _d(plan.end_date))
        for s47 in episode.section47s:
            module = _Sub(cin, "Section47")
            _item(module, "S47ActualStartDate", _d(s47.start_date))
            _item(module, "InitialCPCtarget", _d(s47.initial_cpc_target))
            _item(module, "DateOfInitialCPC", _d(s47.initial_cpc_date))
            _item(module, "ICPCnotRequired", _flag(s47.icpc_not_required))
        _item(cin, "ReferralNFA", _flag(episode.referral_nfa))
        for cpp in episode.cp_plans:
            self.cp_plan(cin, cpp)
        self.result.episodes += 1

    def assessment(self, cin: Any, assessment: Assessment) -> None:
        module = _Sub(cin, "Assessments")
        _item(module, "AssessmentActualStartDate", _d(assessment.start_date))
        _item(module, "AssessmentAuthorisationDate", _d(assessment.authorisation_date))
        factors = []
        for code in assessment.factors:
            if code in self.factors:
                factors.append(code)
            else:
                self.result.left_out[f"AssessmentFactors: {code} is not in the schema"] += 1
        if factors:
            identified = _Sub(module, "FactorsIdentifiedAtAssessment")
            for code in factors:
                _item(identified, "AssessmentFactors", code)

    def cp_plan(self, cin: Any, plan: CPPlan) -> None:
        module = _Sub(cin, "ChildProtectionPlans")
        _item(module, "CPPstartDate", _d(plan.start_date))
        _item(module, "CPPendDate", _d(plan.end_date))
        _item(module, "InitialCategoryOfAbuse", plan.initial_category)
        _item(module, "LatestCategoryOfAbuse", plan.latest_category)
        previous = None if plan.previous_plans is None else str(plan.previous_plans)
        _item(module, "NumberOfPreviousCPP", previous)
        if plan.review_dates:
            reviews = _Sub(module, "Reviews")
            for day in plan.review_dates:
                _item(reviews, "CPPreviewDate", _d(day))


def census_xml_write(
    *,
    children: Iterable[Child],
    period: CensusPeriod,
    lea: str,
    out: str | os.PathLike[str] | IO[bytes],
    release: str = "",
    now: datetime | None = None,
) -> WriteResult:
    """Stream the census for ``period`` to ``out`` (a path or a binary file): the header,
    then one child's subtree at a time, so the file is never held whole in memory."""
    result = WriteResult()
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    writer = _Writer(period.year, result)
    header = etree.Element("Header")
    details = _Sub(header, "CollectionDetails")
    _item(details, "Collection", "CIN")
    _item(details, "Year", str(period.year))
    _item(details, "ReferenceDate", period.reference_date.isoformat())
    source = _Sub(header, "Source")
    _item(source, "SourceLevel", "L")
    _item(source, "LEA", lea)
    _item(source, "SoftwareCode", "Evident")
    _item(source, "Release", release)
    _item(source, "SerialNo", "001")
    stamp = (now or timezone.localtime()).replace(microsecond=0)
    _item(source, "DateTime", stamp.isoformat())
    with etree.xmlfile(target, encoding="utf-8", buffered=True) as xf:
        xf.write_declaration()
        with xf.element("Message"):
            xf.write(header)
            with xf.element("Children"):
                for child in children:
                    # One line per child, so a schema error's line number finds the child.
                    xf.write("\n", writer.child(child))
    return result


# ---- reading -------------------------------------------------------------------------


def _parse(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw.strip()) if raw else None
    except ValueError:
        return None


def _flag_of(raw: str | None) -> bool | None:
    value = (raw or "").strip().lower()
    if value in {"true", "1"}:
        return True
    if value in {"false", "0"}:
        return False
    return None


def _int(raw: str | None) -> int | None:
    value = (raw or "").strip()
    return int(value) if value.isdigit() else None


def _s(raw: str | None) -> str:
    return (raw or "").strip()


def _leaves(element: Any) -> dict[str, str | None]:
    """A module's simple items by name (one pass over its children)."""
    return {e.tag: e.text for e in element if len(e) == 0}


def _episode(element: Any) -> Episode:
    items = _leaves(element)
    episode = Episode(
        referral_date=_parse(items.get("CINreferralDate")),
        referral_source=_s(items.get("ReferralSource")),
        primary_need=_s(items.get("PrimaryNeedCode")),
        closure_date=_parse(items.get("CINclosureDate")),
        closure_reason=_s(items.get("ReasonForClosure")),
        initial_cpc_date=_parse(items.get("DateOfInitialCPC")),
        referral_nfa=_flag_of(items.get("ReferralNFA")),
    )
    for module in element:
        tag = module.tag
        if tag == "Assessments":
            a = _leaves(module)
            episode.assessments.append(
                Assessment(
                    start_date=_parse(a.get("AssessmentActualStartDate")),
                    authorisation_date=_parse(a.get("AssessmentAuthorisationDate")),
                    factors=[
                        _s(f.text)
                        for f in module.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
                    ],
                )
            )
        elif tag == "CINPlanDates":
            p = _leaves(module)
            episode.cin_plans.append(
                CINPlan(
                    start_date=_parse(p.get("CINPlanStartDate")),
                    end_date=_parse(p.get("CINPlanEndDate")),
                )
            )
        elif tag == "Section47":
            s = _leaves(module)
            episode.section47s.append(
                Section47(
                    start_date=_parse(s.get("S47ActualStartDate")),
                    initial_cpc_target=_parse(s.get("InitialCPCtarget")),
                    initial_cpc_date=_parse(s.get("DateOfInitialCPC")),
                    icpc_not_required=_flag_of(s.get("ICPCnotRequired")),
                )
            )
        elif tag == "ChildProtectionPlans":
            c = _leaves(module)
            episode.cp_plans.append(
                CPPlan(
                    start_date=_parse(c.get("CPPstartDate")),
                    end_date=_parse(c.get("CPPendDate")),
                    initial_category=_s(c.get("InitialCategoryOfAbuse")),
                    latest_category=_s(c.get("LatestCategoryOfAbuse")),
                    previous_plans=_int(c.get("NumberOfPreviousCPP")),
                    review_dates=[
                        d for r in module.iterfind("Reviews/CPPreviewDate") if (d := _parse(r.text))
                    ],
                )
            )
    return episode


def _child(element: Any) -> Child:
    ids: dict[str, str | None] = {}
    traits: dict[str, str | None] = {}
    disabilities: list[str] = []
    episodes: list[Episode] = []
    for module in element:
        tag = module.tag
        if tag == "ChildIdentifiers":
            ids = _leaves(module)
        elif tag == "ChildCharacteristics":
            traits = _leaves(module)
            disabilities = [_s(d.text) for d in module.iterfind("Disabilities/Disability")]
        elif tag == "CINdetails":
            episodes.append(_episode(module))
    return Child(
        la_child_id=_s(ids.get("LAchildID")),
        upn=_s(ids.get("UPN")),
        former_upn=_s(ids.get("FormerUPN")),
        upn_unknown=_s(ids.get("UPNunknown")),
        birth_date=_parse(ids.get("PersonBirthDate")),
        expected_birth_date=_parse(ids.get("ExpectedPersonBirthDate")),
        sex=_s(ids.get("Sex")) or _s(ids.get("GenderCurrent")),
        death_date=_parse(ids.get("PersonDeathDate")),
        ethnicity=_s(traits.get("Ethnicity")),
        disabilities=disabilities,
        episodes=episodes,
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
