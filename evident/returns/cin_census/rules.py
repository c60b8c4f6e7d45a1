"""The CIN census validation rules: one declarative ``Rule`` per rule, each with its code and
message, the module it checks and a plain predicate that says when a record fails.

Codes and messages of the DfE rules are the DfE's (as published in the DfE's validation
rules and carried by the data-to-insight CIN validator; reference.md §4). A check the
council wants that has no known DfE code is a council rule, its code prefixed ``LA``, so
nobody mistakes it for the DfE's. Rules marked ``query`` are the DfE's "please check"
kind: a warning to look at, not an error that stops the return.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from evident.core.codes import (
    CategoryOfAbuse,
    Disability,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    UPNUnknown,
)
from evident.returns.cin_census.records import (
    Assessment,
    CensusPeriod,
    Child,
    CPPlan,
    Episode,
    Header,
    Section47,
)


class Module(enum.StrEnum):
    HEADER = "Header"
    CHILD = "Child"
    EPISODE = "CINdetails"
    ASSESSMENT = "Assessments"
    SECTION47 = "Section47"
    CP_PLAN = "ChildProtectionPlans"


@dataclass(frozen=True)
class Context:
    """What a rule may look at beside the record: the census period, and the child and
    episode the record sits in."""

    period: CensusPeriod
    child: Child | None = None
    episode: Episode | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    module: Module
    fields: tuple[str, ...]
    fails: Callable[[Any, Context], bool]
    query: bool = False  # a "please check" warning rather than an error
    # Only for these census years (the GenderCurrent rules end when Sex replaces it).
    years: tuple[int, int] = (2000, 9999)

    @property
    def is_council_rule(self) -> bool:
        return self.code.startswith("LA")

    def applies_to(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


RULES: list[Rule] = []


def rule(
    code: str,
    message: str,
    module: Module,
    *fields: str,
    query: bool = False,
    years: tuple[int, int] = (2000, 9999),
) -> Callable[[Callable[[Any, Context], bool]], Callable[[Any, Context], bool]]:
    def register(fails: Callable[[Any, Context], bool]) -> Callable[[Any, Context], bool]:
        if any(r.code == code for r in RULES):
            raise ValueError(f"Rule {code} is defined twice")
        RULES.append(Rule(code, message, module, tuple(fields), fails, query, years))
        return fails

    return register


def rules_for(year: int) -> list[Rule]:
    return [r for r in RULES if r.applies_to(year)]


# ---- codes and UPNs ------------------------------------------------------------------

REFERRAL_SOURCES = frozenset(ReferralSource.values)
PRIMARY_NEEDS = frozenset(PrimaryNeed.values)
CLOSURE_REASONS = frozenset(ReasonForClosure.values)
DISABILITIES = frozenset(Disability.values)
CATEGORIES = frozenset(CategoryOfAbuse.values)
UPN_UNKNOWN = frozenset(UPNUnknown.values)
UPN_FORMAT = re.compile(r"[A-Za-z]\d{12}|[A-Za-z]\d{11}[A-Za-z]")
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")
# The DfE's UPN check letters: 0 = A ... 22 = Z, with no I, O or S.
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(upn: str) -> str:
    """The check letter the DfE's algorithm gives the 12 digits of a permanent UPN: each
    digit times its position (2-13), summed, modulo 23."""
    total = sum(int(character) * position for position, character in enumerate(upn[1:13], start=2))
    return CHECK_LETTERS[total % 23]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ---- header (a file's only: a check of the live records has today as its reference date)


@rule("100", "Reference Date is incorrect", Module.HEADER, "ReferenceDate")
def _reference_date(header: Header, ctx: Context) -> bool:
    return header.year is None or header.reference_date != date(header.year, 3, 31)


# ---- child ---------------------------------------------------------------------------


@rule("8500", "LA Child ID missing", Module.CHILD, "LAchildID")
def _la_child_id_missing(child: Child, ctx: Context) -> bool:
    return not child.la_child_id


@rule(
    "LA01",
    "LA Child ID must be 20 characters or fewer, letters and digits only",
    Module.CHILD,
    "LAchildID",
)
def _la_child_id_format(child: Child, ctx: Context) -> bool:
    return bool(child.la_child_id) and not LA_CHILD_ID.fullmatch(child.la_child_id)


@rule("1510", "UPN invalid (wrong check letter at character 1)", Module.CHILD, "UPN")
def _upn_check_letter(child: Child, ctx: Context) -> bool:
    upn = child.upn
    # Permanent UPNs only (a letter and 12 digits): a malformed UPN is LA02's finding.
    if len(upn) != 13 or not upn[0].isalpha() or not upn[1:].isdigit():
        return False
    return upn[0].upper() != upn_check_letter(upn)


@rule(
    "LA02",
    "UPN must be a letter then 12 digits, or a letter, 11 digits and a letter",
    Module.CHILD,
    "UPN",
)
def _upn_format(child: Child, ctx: Context) -> bool:
    return bool(child.upn) and not UPN_FORMAT.fullmatch(child.upn)


@rule(
    "LA03",
    "A child with no UPN needs a reason the UPN is unknown (UN1 to UN7), and one with a "
    "UPN must not have one",
    Module.CHILD,
    "UPN",
    "UPNunknown",
)
def _upn_unknown(child: Child, ctx: Context) -> bool:
    if child.upn:
        return bool(child.upn_unknown)
    return child.upn_unknown not in UPN_UNKNOWN


@rule(
    "8525",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
    Module.CHILD,
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
)
def _born_or_expected(child: Child, ctx: Context) -> bool:
    return (child.birth_date is None) == (child.expected_birth_date is None)


@rule(
    "LA04",
    "Date of birth must not be after the reference date",
    Module.CHILD,
    "PersonBirthDate",
)
def _born_after_reference(child: Child, ctx: Context) -> bool:
    return child.birth_date is not None and child.birth_date > ctx.period.reference_date


@rule(
    "LA05",
    "Child was 18 or over on the referral date of an episode",
    Module.CHILD,
    "PersonBirthDate",
    "CINreferralDate",
)
def _adult_at_referral(child: Child, ctx: Context) -> bool:
    born = child.birth_date
    return born is not None and any(
        e.referral_date is not None and _age(born, e.referral_date) >= 18 for e in child.episodes
    )


@rule(
    "LA06",
    "Date of death must not be before the date of birth",
    Module.CHILD,
    "PersonDeathDate",
    "PersonBirthDate",
)
def _death_before_birth(child: Child, ctx: Context) -> bool:
    return (
        child.death_date is not None
        and child.birth_date is not None
        and child.death_date < child.birth_date
    )


@rule("4180", "Gender is missing", Module.CHILD, "GenderCurrent", years=(2000, 2024))
def _gender_missing(child: Child, ctx: Context) -> bool:
    return child.sex not in {"0", "1", "2", "9"}


@rule(
    "8750",
    "Gender must equal 0 for an unborn child",
    Module.CHILD,
    "GenderCurrent",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    years=(2000, 2024),
)
def _unborn_gender(child: Child, ctx: Context) -> bool:
    return child.birth_date is None and child.expected_birth_date is not None and child.sex != "0"


@rule(
    "LA07",
    "Sex must be M, F or U, and U for an unborn child",
    Module.CHILD,
    "Sex",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    years=(2025, 9999),
)
def _sex(child: Child, ctx: Context) -> bool:
    if child.sex not in {"M", "F", "U"}:
        return True
    unborn = child.birth_date is None and child.expected_birth_date is not None
    return unborn and child.sex != "U"


@rule(
    "8540",
    "Child’s disability is missing or invalid (see Disability table)",  # noqa: RUF001 (the DfE's own wording)
    Module.CHILD,
    "Disability",
)
def _disability(child: Child, ctx: Context) -> bool:
    # Born, with at least one referral that led to further action: one or more valid
    # codes are needed (NONE when the child has no disability).
    if child.birth_date is None or not any(e.referral_nfa is False for e in child.episodes):
        return False
    return not child.disabilities or any(d not in DISABILITIES for d in child.disabilities)


@rule(
    "LA08",
    "Disability NONE cannot be recorded with another disability",
    Module.CHILD,
    "Disability",
)
def _none_and_disability(child: Child, ctx: Context) -> bool:
    return "NONE" in child.disabilities and len(child.disabilities) > 1


@rule(
    "8820",
    "The dates on the CIN episodes for this child overlap",
    Module.CHILD,
    "CINreferralDate",
    "CINclosureDate",
)
def _episodes_overlap(child: Child, ctx: Context) -> bool:
    ref = ctx.period.reference_date
    for episode in child.episodes:
        for other in child.episodes:
            if other is episode or episode.referral_date is None or other.referral_date is None:
                continue
            if episode.referral_date < other.referral_date:
                continue
            if episode.referral_date == other.referral_date and id(episode) < id(other):
                continue
            if other.closure_date is not None:
                if episode.referral_date < other.closure_date:
                    return True
            elif other.referral_nfa is False and episode.referral_date <= ref:
                return True
    return False


# ---- CINdetails (episode) ------------------------------------------------------------


@rule(
    "8600",
    "Child referral date missing or after data collection period",
    Module.EPISODE,
    "CINreferralDate",
)
def _referral_date(episode: Episode, ctx: Context) -> bool:
    return episode.referral_date is None or episode.referral_date > ctx.period.reference_date


@rule("8866", "Source of Referral is missing or an invalid code", Module.EPISODE, "ReferralSource")
def _referral_source(episode: Episode, ctx: Context) -> bool:
    if episode.referral_date is None or episode.referral_date < date(2013, 4, 1):
        return False
    return episode.referral_source not in REFERRAL_SOURCES


@rule(
    "8610",
    "Primary Need code is missing for a referral which led to further action.",
    Module.EPISODE,
    "ReferralNFA",
    "PrimaryNeedCode",
)
def _primary_need_missing(episode: Episode, ctx: Context) -> bool:
    return episode.referral_nfa is False and not episode.primary_need


@rule(
    "8650",
    "Primary Need Code invalid (see Primary Need table in CIN census code set)",
    Module.EPISODE,
    "PrimaryNeedCode",
)
def _primary_need_invalid(episode: Episode, ctx: Context) -> bool:
    return bool(episode.primary_need) and episode.primary_need not in PRIMARY_NEEDS


@rule(
    "8620",
    "CIN Closure Date present and does not fall within the Census year",
    Module.EPISODE,
    "CINclosureDate",
)
def _closure_in_year(episode: Episode, ctx: Context) -> bool:
    closed = episode.closure_date
    return closed is not None and not (ctx.period.start <= closed <= ctx.period.reference_date)


@rule(
    "8640",
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
    Module.EPISODE,
    "ReasonForClosure",
)
def _closure_reason_invalid(episode: Episode, ctx: Context) -> bool:
    return bool(episode.closure_reason) and episode.closure_reason not in CLOSURE_REASONS


@rule(
    "LA09",
    "A closed episode needs a reason for closure, and an open one must not have one",
    Module.EPISODE,
    "CINclosureDate",
    "ReasonForClosure",
)
def _closure_reason_present(episode: Episode, ctx: Context) -> bool:
    return (episode.closure_date is None) != (not episode.closure_reason)


@rule(
    "LA10",
    "Closure date must not be before the referral date",
    Module.EPISODE,
    "CINclosureDate",
    "CINreferralDate",
)
def _closed_before_referral(episode: Episode, ctx: Context) -> bool:
    return (
        episode.closure_date is not None
        and episode.referral_date is not None
        and episode.closure_date < episode.referral_date
    )


# ---- Assessments ---------------------------------------------------------------------


@rule(
    "8608",
    "Assessment Start Date cannot be later than its End Date",
    Module.ASSESSMENT,
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
)
def _assessment_order(assessment: Assessment, ctx: Context) -> bool:
    start, end = assessment.start_date, assessment.authorisation_date
    return start is not None and end is not None and start > end


@rule(
    "8736",
    "For an Assessment that has not been completed, the start date must fall within the census year",
    Module.ASSESSMENT,
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
)
def _open_assessment_in_year(assessment: Assessment, ctx: Context) -> bool:
    start = assessment.start_date
    return (
        assessment.authorisation_date is None
        and start is not None
        and not (ctx.period.start <= start <= ctx.period.reference_date)
    )


@rule(
    "8869",
    "The assessment factors code “21” cannot be used in conjunction with any other assessment factors.",
    Module.ASSESSMENT,
    "AssessmentFactors",
)
def _factor_21_alone(assessment: Assessment, ctx: Context) -> bool:
    return "21" in assessment.factors and len(assessment.factors) > 1


@rule(
    "LA11",
    "Assessment must not start before the referral date",
    Module.ASSESSMENT,
    "AssessmentActualStartDate",
    "CINreferralDate",
)
def _assessment_before_referral(assessment: Assessment, ctx: Context) -> bool:
    referral = ctx.episode.referral_date if ctx.episode else None
    return (
        assessment.start_date is not None
        and referral is not None
        and assessment.start_date < referral
    )


@rule(
    "LA12",
    "An assessment authorised in the census year needs the factors identified at assessment",
    Module.ASSESSMENT,
    "AssessmentFactors",
)
def _factors_missing(assessment: Assessment, ctx: Context) -> bool:
    end = assessment.authorisation_date
    return (
        end is not None
        and ctx.period.start <= end <= ctx.period.reference_date
        and not assessment.factors
    )


# ---- Section 47 ----------------------------------------------------------------------


@rule(
    "LA13",
    "Section 47 enquiry must not start after its initial child protection conference",
    Module.SECTION47,
    "S47ActualStartDate",
    "DateOfInitialCPC",
)
def _s47_after_icpc(s47: Section47, ctx: Context) -> bool:
    return (
        s47.start_date is not None
        and s47.initial_cpc_date is not None
        and s47.start_date > s47.initial_cpc_date
    )


@rule(
    "LA14",
    "Section 47 enquiry must not start before the referral date",
    Module.SECTION47,
    "S47ActualStartDate",
    "CINreferralDate",
)
def _s47_before_referral(s47: Section47, ctx: Context) -> bool:
    referral = ctx.episode.referral_date if ctx.episode else None
    return s47.start_date is not None and referral is not None and s47.start_date < referral


@rule(
    "LA15",
    "An enquiry with an initial child protection conference cannot also say no conference "
    "was required",
    Module.SECTION47,
    "DateOfInitialCPC",
    "ICPCnotRequired",
)
def _icpc_and_not_required(s47: Section47, ctx: Context) -> bool:
    return s47.initial_cpc_date is not None and s47.icpc_not_required is True


# ---- Child protection plans ----------------------------------------------------------


@rule(
    "8840",
    "Child Protection Plan cannot start and end on the same day",
    Module.CP_PLAN,
    "CPPstartDate",
    "CPPendDate",
)
def _cpp_same_day(plan: CPPlan, ctx: Context) -> bool:
    return plan.start_date is not None and plan.start_date == plan.end_date


@rule(
    "LA16",
    "Child protection plan must not end before it starts",
    Module.CP_PLAN,
    "CPPstartDate",
    "CPPendDate",
)
def _cpp_end_before_start(plan: CPPlan, ctx: Context) -> bool:
    return (
        plan.start_date is not None
        and plan.end_date is not None
        and plan.end_date < plan.start_date
    )


@rule(
    "LA17",
    "Child protection plan needs valid initial and latest categories of abuse",
    Module.CP_PLAN,
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
)
def _cpp_categories(plan: CPPlan, ctx: Context) -> bool:
    return plan.initial_category not in CATEGORIES or plan.latest_category not in CATEGORIES


@rule(
    "LA18",
    "Child protection plan review dates must fall between the plan's start and end",
    Module.CP_PLAN,
    "CPPreviewDate",
    "CPPstartDate",
    "CPPendDate",
)
def _cpp_reviews_in_plan(plan: CPPlan, ctx: Context) -> bool:
    start, end = plan.start_date, plan.end_date
    return any(
        (start is not None and day <= start) or (end is not None and day > end)
        for day in plan.review_dates
    )


@rule(
    "LA19",
    "Number of previous child protection plans is missing",
    Module.CP_PLAN,
    "NumberOfPreviousCPP",
)
def _cpp_previous_missing(plan: CPPlan, ctx: Context) -> bool:
    return plan.previous_plans is None


@rule(
    "LA20",
    "Child protection plan has lasted more than 2 years",
    Module.CP_PLAN,
    "CPPstartDate",
    "CPPendDate",
    query=True,
)
def _cpp_over_two_years(plan: CPPlan, ctx: Context) -> bool:
    start = plan.start_date
    if start is None:
        return False
    end = plan.end_date or ctx.period.reference_date
    try:
        two_years_on = start.replace(year=start.year + 2)
    except ValueError:  # 29 February
        two_years_on = date(start.year + 2, 3, 1)
    return end > two_years_on
