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
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from evident.core.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    UPNUnknown,
)
from evident.core.working_days import WorkingDayCalendar, bank_holidays
from evident.returns.cin_census.records import (
    Assessment,
    CensusPeriod,
    Child,
    CINPlan,
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
    CIN_PLAN = "CINplanDates"
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
        # A code may be defined again only for other years (the DfE's Sex versions of
        # its GenderCurrent rules keep their codes).
        if any(r.code == code and r.years[0] <= years[1] and years[0] <= r.years[1] for r in RULES):
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
FACTORS = frozenset(AssessmentFactor.values)
UPN_UNKNOWN = frozenset(UPNUnknown.values)
# UN1 is "not of school age", so no reason for a child who is.
SCHOOL_AGE_UPN_UNKNOWN = frozenset({"UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})
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


def _months_on(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def _no_school_age_upn(child: Child) -> bool:
    return not child.upn and child.upn_unknown not in SCHOOL_AGE_UPN_UNKNOWN


def _activity_dates(episode: Episode) -> list[date | None]:
    """Every date of work in an episode that a closure must not come before (rule 8565)."""
    return [
        episode.initial_cpc_date,
        *(d for a in episode.assessments for d in (a.start_date, a.authorisation_date)),
        *(d for s in episode.section47s for d in (s.start_date, s.initial_cpc_date)),
        *(p.end_date for p in episode.cp_plans),
        *(d for p in episode.cin_plans for d in (p.start_date, p.end_date)),
    ]


@functools.lru_cache(maxsize=64)
def _working_days_before(day: date, n: int) -> date:
    # The DfE counts England's bank holidays, not a council's own closure days; the two
    # years around the day are enough for the counts the rules make (weeks, not years).
    bank = bank_holidays(day.year - 1, day.year)
    return WorkingDayCalendar(bank=bank).add_working_days(day, -n)


def _open_for_action(episode: Episode) -> bool:
    """Open at the reference date and not a referral with no further action."""
    return episode.closure_date is None and episode.referral_nfa is False


def _s47_open(s47: Section47) -> bool:
    """No initial conference yet and not marked as not needing one."""
    return s47.initial_cpc_date is None and s47.icpc_not_required is not True


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


@rule("1560Q", "Please check: Former UPN wrongly formatted", Module.CHILD, "FormerUPN", query=True)
def _former_upn_format(child: Child, ctx: Context) -> bool:
    # A letter and 12 digits (the check is the DfE's: temporary UPNs ending in a letter fail).
    former = child.former_upn
    return bool(former) and not (len(former) == 13 and former[0].isalpha() and former[1:].isdigit())


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
    "8520",
    "Date of Birth is after data collection period (must be on or before the end of the census "
    "period)",
    Module.CHILD,
    "PersonBirthDate",
    "ReferenceDate",
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
    "8535Q",
    "Child’s date of death should not be prior to the date of birth",  # noqa: RUF001 (the DfE's own wording)
    Module.CHILD,
    "PersonDeathDate",
    "PersonBirthDate",
    query=True,
)
def _death_before_birth(child: Child, ctx: Context) -> bool:
    died, born, expected = child.death_date, child.birth_date, child.expected_birth_date
    if died is None or (expected is not None and expected > died):
        return False  # an unborn child who died before the expected date
    return born is None or died < born


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


@rule("4180", "Sex must be provided and equal M, F, or U", Module.CHILD, "Sex", years=(2025, 9999))
def _sex_missing(child: Child, ctx: Context) -> bool:
    return child.sex not in {"M", "F", "U"}


@rule(
    "8750",
    "Sex must equal U for an unborn child",
    Module.CHILD,
    "Sex",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    years=(2025, 9999),
)
def _unborn_sex(child: Child, ctx: Context) -> bool:
    return child.birth_date is None and child.expected_birth_date is not None and child.sex != "U"


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
    "8790",
    "Disability information includes both None and other values",
    Module.CHILD,
    "Disability",
)
def _none_and_disability(child: Child, ctx: Context) -> bool:
    return "NONE" in child.disabilities and len(child.disabilities) > 1


@rule(
    "8794",
    "Child has two or more disabilities with the same code",
    Module.CHILD,
    "Disability",
)
def _disability_twice(child: Child, ctx: Context) -> bool:
    return len(set(child.disabilities)) < len(child.disabilities)


@rule(
    "8530Q",
    "Please check: Expected Date of Birth is outside the expected range for this census (March "
    "to December of the Census Year end)",
    Module.CHILD,
    "ExpectedPersonBirthDate",
    query=True,
)
def _expected_birth_out_of_range(child: Child, ctx: Context) -> bool:
    # Expected between 30 days before and 9 months after the reference date, exclusive.
    expected = child.expected_birth_date
    if expected is None:
        return False
    ref = ctx.period.reference_date
    return expected <= ref - timedelta(days=30) or expected >= _months_on(ref, 9)


@rule(
    "8545Q",
    "Please check: Child's date of death should be within the census year",
    Module.CHILD,
    "PersonDeathDate",
    query=True,
)
def _death_outside_year(child: Child, ctx: Context) -> bool:
    died = child.death_date
    return died is not None and not ctx.period.contains(died)


@rule(
    "8815",
    "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided "
    "for this child and case is not a referral with no further action.",
    Module.CHILD,
    "ReferralNFA",
    "CINclosureDate",
)
def _two_open_episodes(child: Child, ctx: Context) -> bool:
    return sum(_open_for_action(e) for e in child.episodes) > 1


@rule(
    "8935",
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
    Module.CHILD,
    "CPPendDate",
)
def _two_open_cp_plans(child: Child, ctx: Context) -> bool:
    return sum(p.end_date is None for e in child.episodes for p in e.cp_plans) > 1


@rule(
    "8770Q",
    "Please check and either amend data or provide a reason: UPN or reason UPN missing expected "
    "for a child who is more than 5 years old",
    Module.CHILD,
    "UPN",
    "UPNunknown",
    query=True,
    years=(2000, 2024),
)
def _upn_expected_over_five(child: Child, ctx: Context) -> bool:
    born = child.birth_date
    if born is None or not any(e.referral_nfa is False for e in child.episodes):
        return False
    ref = ctx.period.reference_date
    return born <= _years_before(ref, 6) and _no_school_age_upn(child)


@rule(
    "8770Q",
    "Please check and either amend data or provide a reason: UPN is missing or reason UPN is "
    "missing or is UN1 for a child who is of school age.",
    Module.CHILD,
    "UPN",
    "UPNunknown",
    query=True,
    years=(2025, 9999),
)
def _upn_expected_at_school_age(child: Child, ctx: Context) -> bool:
    # School age: born on or before the 31 August four years before the 31 August after the
    # reference date (reference date plus 4 months and 31 days).
    born = child.birth_date
    if born is None or not any(e.referral_nfa is False for e in child.episodes):
        return False
    school_start = _months_on(ctx.period.reference_date, 4) + timedelta(days=31)
    return born <= _years_before(school_start, 4) and _no_school_age_upn(child)


@rule(
    "4014",
    "CIN Plan data contains overlapping dates",
    Module.CHILD,
    "CINPlanStartDate",
    "CINPlanEndDate",
)
def _cin_plans_overlap(child: Child, ctx: Context) -> bool:
    return _overlap([p for e in child.episodes for p in e.cin_plans], ctx.period.reference_date)


def _overlap(plans: Sequence[CINPlan | CPPlan], ref: date) -> bool:
    """A plan starting on or between another's start and its end (the reference date while
    open), across all the child's episodes."""
    dated = [p for p in plans if p.start_date is not None]
    return any(
        other is not plan
        and other.start_date is not None
        and plan.start_date is not None
        and other.start_date <= plan.start_date <= (other.end_date or ref)
        for plan in dated
        for other in dated
    )


def _starts_during(starts: Iterable[date], plans: Sequence[CINPlan | CPPlan], ref: date) -> bool:
    """A start inside one of ``plans``: on or after its start and before its end (the day a
    plan ends the next may start: a step down or up), or by the reference date while open."""
    dated = [p for p in plans if p.start_date is not None]
    return any(
        plan.start_date is not None
        and plan.start_date <= start
        and (start < plan.end_date if plan.end_date is not None else start <= ref)
        for start in starts
        for plan in dated
    )


@rule(
    "4016",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    Module.CHILD,
    "CINPlanStartDate",
    "CPPstartDate",
    "CPPendDate",
)
def _cin_plan_starts_in_cpp(child: Child, ctx: Context) -> bool:
    cin_starts = [p.start_date for e in child.episodes for p in e.cin_plans if p.start_date]
    cpps = [p for e in child.episodes for p in e.cp_plans]
    return _starts_during(cin_starts, cpps, ctx.period.reference_date)


@rule(
    "8940",
    "Child Protection Plan data contains overlapping dates",
    Module.CHILD,
    "CPPstartDate",
    "CPPendDate",
)
def _cp_plans_overlap(child: Child, ctx: Context) -> bool:
    return _overlap([p for e in child.episodes for p in e.cp_plans], ctx.period.reference_date)


@rule(
    "4017",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
    Module.CHILD,
    "CINPlanStartDate",
    "CINPlanEndDate",
    "CPPstartDate",
)
def _cpp_starts_in_cin_plan(child: Child, ctx: Context) -> bool:
    cpp_starts = [p.start_date for e in child.episodes for p in e.cp_plans if p.start_date]
    cins = [p for e in child.episodes for p in e.cin_plans]
    return _starts_during(cpp_starts, cins, ctx.period.reference_date)


@rule("8590", "Child does not have a recorded CIN episode.", Module.CHILD, "LAchildID")
def _no_episode(child: Child, ctx: Context) -> bool:
    return not child.episodes


@rule(
    "8775Q",
    "Please check: Child is over 25 years old",
    Module.CHILD,
    "PersonBirthDate",
    "CINclosureDate",
    query=True,
)
def _over_25(child: Child, ctx: Context) -> bool:
    # Born more than 25 years before the reference date, with an episode still open after
    # the 25th birthday.
    born = child.birth_date
    if born is None or born >= _years_before(ctx.period.reference_date, 25):
        return False
    turned_25 = _years_before(born, -25)
    return any(e.closure_date is None or e.closure_date > turned_25 for e in child.episodes)


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
    return closed is not None and not ctx.period.contains(closed)


@rule(
    "8640",
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
    Module.EPISODE,
    "ReasonForClosure",
)
def _closure_reason_invalid(episode: Episode, ctx: Context) -> bool:
    return bool(episode.closure_reason) and episode.closure_reason not in CLOSURE_REASONS


@rule(
    "8805",
    "A CIN case cannot have a CIN closure date without a Reason for Closure",
    Module.EPISODE,
    "CINclosureDate",
    "ReasonForClosure",
)
def _closed_without_reason(episode: Episode, ctx: Context) -> bool:
    return episode.closure_date is not None and not episode.closure_reason


@rule(
    "8810",
    "A CIN case cannot have a Reason for Closure without a CIN Closure Date",
    Module.EPISODE,
    "ReasonForClosure",
    "CINclosureDate",
)
def _reason_without_closure(episode: Episode, ctx: Context) -> bool:
    return bool(episode.closure_reason) and episode.closure_date is None


@rule(
    "8630",
    "CIN Closure Date is before CIN Referral Date for the same CIN episode",
    Module.EPISODE,
    "CINreferralDate",
    "CINclosureDate",
)
def _closed_before_referral(episode: Episode, ctx: Context) -> bool:
    return (
        episode.closure_date is not None
        and episode.referral_date is not None
        and episode.closure_date < episode.referral_date
    )


@rule(
    "8606",
    "Child referral date is more than 40 weeks before DOB or expected DOB",
    Module.EPISODE,
    "CINreferralDate",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
)
def _referred_long_before_birth(episode: Episode, ctx: Context) -> bool:
    referral, child = episode.referral_date, ctx.child
    if referral is None or child is None:
        return False
    return any(
        born is not None and referral < born - timedelta(days=280)
        for born in (child.birth_date, child.expected_birth_date)
    )


@rule(
    "8816",
    "An open CIN episode is shown and case is not a referral with no further action, but it is "
    "not the latest episode.",
    Module.EPISODE,
    "CINreferralDate",
    "ReferralNFA",
)
def _open_episode_not_latest(episode: Episode, ctx: Context) -> bool:
    if not _open_for_action(episode) or episode.referral_date is None or ctx.child is None:
        return False
    referrals = [e.referral_date for e in ctx.child.episodes if e.referral_date is not None]
    return episode.referral_date != max(referrals)


@rule(
    "8825Q",
    "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case "
    "closed after assessment) or RC9 (case closed after assessment, referred to early help) has "
    "been returned but there is no assessment present for the episode.",
    Module.EPISODE,
    "ReasonForClosure",
    query=True,
)
def _closed_after_no_assessment(episode: Episode, ctx: Context) -> bool:
    return episode.closure_reason in {"RC8", "RC9"} and not episode.assessments


@rule(
    "8839",
    "Within one CINDetails group there are 2 or more open S47 Assessments",
    Module.EPISODE,
    "DateOfInitialCPC",
)
def _two_open_s47s(episode: Episode, ctx: Context) -> bool:
    return sum(_s47_open(s) for s in episode.section47s) > 1


@rule(
    "8867",
    "CIN episode is shown as closed, however Assessment is not shown as completed",
    Module.EPISODE,
    "CINclosureDate",
    "AssessmentAuthorisationDate",
)
def _closed_with_open_assessment(episode: Episode, ctx: Context) -> bool:
    return episode.closure_date is not None and any(
        a.authorisation_date is None for a in episode.assessments
    )


@rule(
    "8868",
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by "
    "ICPC date or ICPC not required flag",
    Module.EPISODE,
    "ICPCnotRequired",
    "CINclosureDate",
    "DateOfInitialCPC",
)
def _closed_with_open_s47(episode: Episode, ctx: Context) -> bool:
    # Each enquiry must end one way: a conference date or "not required", not both or neither.
    return episode.closure_date is not None and any(
        (s.initial_cpc_date is None) != (s.icpc_not_required is True) for s in episode.section47s
    )


@rule(
    "8896",
    "Within one CINDetails group there are 2 or more open Assessments groups",
    Module.EPISODE,
    "AssessmentAuthorisationDate",
)
def _two_open_assessments(episode: Episode, ctx: Context) -> bool:
    return sum(a.authorisation_date is None for a in episode.assessments) > 1


@rule(
    "8873",
    "When there is only one assessment on the episode and the factors code “21 No factors "
    "identified” has been used for the completed assessment, the reason for closure ‘RC8’ must "  # noqa: RUF001 (the DfE's own wording)
    "be used.",
    Module.EPISODE,
    "ReasonForClosure",
    "AssessmentFactors",
)
def _no_factors_not_rc8(episode: Episode, ctx: Context) -> bool:
    if len(episode.assessments) != 1:
        return False
    return "21" in episode.assessments[0].factors and episode.closure_reason != "RC8"


@rule(
    "8555",
    "Child cannot be referred after its recorded date of death",
    Module.EPISODE,
    "PersonDeathDate",
    "CINreferralDate",
)
def _referred_after_death(episode: Episode, ctx: Context) -> bool:
    died = ctx.child.death_date if ctx.child else None
    return died is not None and episode.referral_date is not None and episode.referral_date > died


@rule(
    "8565",
    "Activity shown after a case has been closed",
    Module.EPISODE,
    "CINclosureDate",
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
    "S47ActualStartDate",
    "DateOfInitialCPC",
    "CPPendDate",
    "CINPlanStartDate",
    "CINPlanEndDate",
)
def _activity_after_closure(episode: Episode, ctx: Context) -> bool:
    closed = episode.closure_date
    if closed is None:
        return False
    return any(day is not None and day > closed for day in _activity_dates(episode))


@rule(
    "8831",
    "Activity is recorded against a case marked as a referral with no further action",
    Module.EPISODE,
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
    "S47ActualStartDate",
    "DateOfInitialCPC",
)
def _activity_on_nfa_referral(episode: Episode, ctx: Context) -> bool:
    if episode.referral_nfa is not True:
        return False
    return (
        episode.initial_cpc_date is not None
        or any(a.start_date or a.authorisation_date for a in episode.assessments)
        or any(s.start_date for s in episode.section47s)
    )


@rule(
    "2990",
    "Activity is recorded against a case marked as ‘Case closed after assessment, no further "  # noqa: RUF001 (the DfE's own wording)
    "action’.",  # noqa: RUF001 (the DfE's own wording)
    Module.EPISODE,
    "ReasonForClosure",
)
def _activity_after_rc8(episode: Episode, ctx: Context) -> bool:
    return episode.closure_reason == "RC8" and bool(
        episode.section47s
        or episode.cp_plans
        or episode.cin_plans
        or episode.initial_cpc_date is not None
    )


@rule(
    "8569",
    "A case with referral date before one working day prior to the collection start date must "
    "not be flagged as a no further action case",
    Module.EPISODE,
    "ReferralNFA",
    "CINreferralDate",
)
def _old_referral_nfa(episode: Episode, ctx: Context) -> bool:
    referral = episode.referral_date
    if referral is None or episode.referral_nfa is False:
        return False
    return referral < _working_days_before(ctx.period.start, 1)


@rule(
    "8585Q",
    "Please check and either amend or provide a reason: CIN episode shows Died as the Closure "
    "Reason, however child has no recorded Date of Death",
    Module.EPISODE,
    "ReasonForClosure",
    "PersonDeathDate",
    query=True,
)
def _died_without_death_date(episode: Episode, ctx: Context) -> bool:
    return episode.closure_reason == "RC2" and ctx.child is not None and not ctx.child.death_date


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
        and not ctx.period.contains(start)
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
    "8897Q",
    "Parental or child factors at assessment information is missing from a completed assessment",
    Module.ASSESSMENT,
    "AssessmentAuthorisationDate",
    "AssessmentFactors",
    query=True,
)
def _factors_missing(assessment: Assessment, ctx: Context) -> bool:
    # Authorised in the year: one or more factors, each a valid code.
    end = assessment.authorisation_date
    if end is None or end < ctx.period.start:
        return False
    return not assessment.factors or any(f not in FACTORS for f in assessment.factors)


@rule(
    "8614",
    "Parental or child factors at assessment should only be present for a completed assessment.",
    Module.ASSESSMENT,
    "AssessmentAuthorisationDate",
    "AssessmentFactors",
)
def _factors_before_completion(assessment: Assessment, ctx: Context) -> bool:
    return assessment.authorisation_date is None and bool(assessment.factors)


@rule(
    "8617",
    "Code 8A has been returned. This code is not a valid code.",
    Module.ASSESSMENT,
    "AssessmentFactors",
)
def _factor_8a(assessment: Assessment, ctx: Context) -> bool:
    return "8A" in assessment.factors


@rule(
    "8863",
    "An Assessment is shown as starting when there is another Assessment ongoing",
    Module.ASSESSMENT,
    "AssessmentActualStartDate",
    "AssessmentAuthorisationDate",
)
def _assessment_overlaps(assessment: Assessment, ctx: Context) -> bool:
    # On or between another assessment's start and its authorisation (or the reference date
    # while it is still open), in the same episode.
    start = assessment.start_date
    if start is None or ctx.episode is None:
        return False
    for other in ctx.episode.assessments:
        if other is assessment or other.start_date is None:
            continue
        if other.start_date == start and other.authorisation_date == assessment.authorisation_date:
            continue  # the same assessment twice is not an overlap
        if other.start_date <= start <= (other.authorisation_date or ctx.period.reference_date):
            return True
    return False


@rule(
    "8696",
    "Assessment end date must fall within the census year",
    Module.ASSESSMENT,
    "AssessmentAuthorisationDate",
    "ReferenceDate",
)
def _assessment_end_in_year(assessment: Assessment, ctx: Context) -> bool:
    end = assessment.authorisation_date
    return end is not None and not ctx.period.contains(end)


@rule(
    "8898",
    " The assessment has more than one parental or child factors with the same code",
    Module.ASSESSMENT,
    "AssessmentFactors",
)
def _factor_twice(assessment: Assessment, ctx: Context) -> bool:
    return len(set(assessment.factors)) < len(assessment.factors)


@rule(
    "8899Q",
    "Please check: A child identified as having a disability does not have a disability factor "
    "recorded at the end of assessment.",
    Module.ASSESSMENT,
    "AssessmentFactors",
    "Disability",
    query=True,
)
def _disabled_without_disability_factor(assessment: Assessment, ctx: Context) -> bool:
    # A disabled child's assessment authorised in the year should record 5A or 6A.
    end, child = assessment.authorisation_date, ctx.child
    if end is None or end < ctx.period.start or child is None:
        return False
    disabled = any(d != "NONE" for d in child.disabilities)
    return disabled and not {"5A", "6A"} & set(assessment.factors)


@rule(
    "8670Q",
    "Please check: Assessment started more than 45 working days before the end of the census "
    "year. However, there is no Assessment end date. ",
    Module.ASSESSMENT,
    "AssessmentActualStartDate",
    query=True,
)
def _assessment_open_too_long(assessment: Assessment, ctx: Context) -> bool:
    start = assessment.start_date
    if assessment.authorisation_date is not None or start is None:
        return False
    return start < _working_days_before(ctx.period.reference_date, 45)


# ---- Section 47 ----------------------------------------------------------------------


@rule(
    "8615",
    "Section 47 Enquiry Start Date must be present and cannot be later than the date of the "
    "initial Child Protection Conference",
    Module.SECTION47,
    "S47ActualStartDate",
    "DateOfInitialCPC",
)
def _s47_after_icpc(s47: Section47, ctx: Context) -> bool:
    if s47.initial_cpc_date is None:
        return False
    return s47.start_date is None or s47.start_date > s47.initial_cpc_date


@rule(
    "2889",
    "The S47 start date cannot be before the referral date.",
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


@rule(
    "8740",
    "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the "
    "end of the census year, the start date must fall within the census year",
    Module.SECTION47,
    "S47ActualStartDate",
    "DateOfInitialCPC",
    "ICPCnotRequired",
)
def _open_s47_in_year(s47: Section47, ctx: Context) -> bool:
    start = s47.start_date
    return _s47_open(s47) and start is not None and not ctx.period.contains(start)


@rule(
    "8890",
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
    Module.SECTION47,
    "S47ActualStartDate",
)
def _s47_overlaps(s47: Section47, ctx: Context) -> bool:
    # On or between another enquiry's start and its conference, or the reference date while
    # it is still open; an enquiry ended "no conference needed" has no end date to compare.
    start = s47.start_date
    if start is None or ctx.episode is None:
        return False
    for other in ctx.episode.section47s:
        if other is s47 or other.start_date is None or other.start_date > start:
            continue
        if other.initial_cpc_date is not None:
            if start <= other.initial_cpc_date:
                return True
        elif other.icpc_not_required is not True and start <= ctx.period.reference_date:
            return True
    return False


@rule(
    "2884",
    "An initial child protection conference is recorded at both the S47 and CIN Details level "
    "and it should only be recorded in one",
    Module.SECTION47,
    "DateOfInitialCPC",
)
def _icpc_recorded_twice(s47: Section47, ctx: Context) -> bool:
    episode_icpc = ctx.episode.initial_cpc_date if ctx.episode else None
    return episode_icpc is not None and s47.initial_cpc_date == episode_icpc


@rule(
    "8675Q",
    "Please check: S47 Enquiry started more than 15 working days before the end of the census "
    "year. However, there is no date of Initial Child Protection Conference.",
    Module.SECTION47,
    "DateOfInitialCPC",
    "S47ActualStartDate",
    query=True,
)
def _s47_open_too_long(s47: Section47, ctx: Context) -> bool:
    start = s47.start_date
    if start is None or not _s47_open(s47):
        return False
    return start < _working_days_before(ctx.period.reference_date, 15)


@rule(
    "8870Q",
    "Please check: The Target Date for Initial Child Protection Conference should not be a weekend",
    Module.SECTION47,
    "InitialCPCtarget",
    query=True,
)
def _icpc_target_at_weekend(s47: Section47, ctx: Context) -> bool:
    target = s47.initial_cpc_target
    return target is not None and target.weekday() >= 5


# ---- CIN plans -----------------------------------------------------------------------


@rule(
    "4011",
    "CIN Plan End Date earlier than Start Date",
    Module.CIN_PLAN,
    "CINPlanEndDate",
    "CINPlanStartDate",
)
def _cin_plan_end_before_start(plan: CINPlan, ctx: Context) -> bool:
    return (
        plan.start_date is not None
        and plan.end_date is not None
        and plan.end_date < plan.start_date
    )


@rule(
    "4015",
    "The CIN Plan start date cannot be before the referral date",
    Module.CIN_PLAN,
    "CINPlanStartDate",
    "CINreferralDate",
)
def _cin_plan_before_referral(plan: CINPlan, ctx: Context) -> bool:
    referral = ctx.episode.referral_date if ctx.episode else None
    return plan.start_date is not None and referral is not None and plan.start_date < referral


@rule(
    "4001",
    "A CIN Plan cannot run concurrently with a Child Protection Plan",
    Module.CIN_PLAN,
    "CINPlanEndDate",
    "CPPendDate",
)
def _cin_plan_with_open_cpp(plan: CINPlan, ctx: Context) -> bool:
    # Both open at the end of the year, in the same episode.
    return (
        plan.end_date is None
        and ctx.episode is not None
        and any(p.end_date is None for p in ctx.episode.cp_plans)
    )


@rule(
    "4000",
    "CIN Plan details provided for a referral with no further action",
    Module.CIN_PLAN,
    "ReferralNFA",
)
def _cin_plan_on_nfa_referral(plan: CINPlan, ctx: Context) -> bool:
    return ctx.episode is not None and ctx.episode.referral_nfa is True


@rule(
    "4008",
    "CIN Plan shown as starting after the child’s Date of Death.",  # noqa: RUF001 (the DfE's own wording)
    Module.CIN_PLAN,
    "PersonDeathDate",
    "CINPlanStartDate",
)
def _cin_plan_after_death(plan: CINPlan, ctx: Context) -> bool:
    died = ctx.child.death_date if ctx.child else None
    return died is not None and plan.start_date is not None and plan.start_date > died


@rule(
    "4010",
    "CIN Plan start date is missing or out of data collection period",
    Module.CIN_PLAN,
    "CINPlanStartDate",
)
def _cin_plan_start(plan: CINPlan, ctx: Context) -> bool:
    return plan.start_date is None or plan.start_date > ctx.period.reference_date


@rule(
    "4012Q",
    "CIN Plan shown as starting and ending on the same day - please check",
    Module.CIN_PLAN,
    "CINPlanStartDate",
    "CINPlanEndDate",
    query=True,
)
def _cin_plan_same_day(plan: CINPlan, ctx: Context) -> bool:
    return plan.start_date is not None and plan.start_date == plan.end_date


@rule(
    "4013",
    "CIN Plan end date must fall within the census year",
    Module.CIN_PLAN,
    "CINPlanEndDate",
    "ReferenceDate",
)
def _cin_plan_end_in_year(plan: CINPlan, ctx: Context) -> bool:
    end = plan.end_date
    return end is not None and not ctx.period.contains(end)


# ---- Child protection plans ----------------------------------------------------------


@rule(
    "8720",
    "Child Protection Plan Start Date missing or out of data collection period",
    Module.CP_PLAN,
    "CPPstartDate",
    "ReferenceDate",
)
def _cpp_start(plan: CPPlan, ctx: Context) -> bool:
    return plan.start_date is None or plan.start_date > ctx.period.reference_date


@rule(
    "2885",
    "Child protection plan shown as starting a different day to the initial child protection "
    "conference.",
    Module.CP_PLAN,
    "CPPstartDate",
    "DateOfInitialCPC",
)
def _cpp_not_on_icpc(plan: CPPlan, ctx: Context) -> bool:
    # A plan starting in the year starts at an initial conference of its episode (an
    # enquiry's, or the episode's own when there was no enquiry).
    start, episode = plan.start_date, ctx.episode
    if start is None or episode is None:
        return False
    if not ctx.period.contains(start):
        return False
    conferences = {s.initial_cpc_date for s in episode.section47s} | {episode.initial_cpc_date}
    return start not in conferences


@rule(
    "8832",
    "Child Protection details provided for a referral with no further action.",
    Module.CP_PLAN,
    "CINdetailsID",
    "ReferralNFA",
)
def _cpp_on_nfa_referral(plan: CPPlan, ctx: Context) -> bool:
    return ctx.episode is not None and ctx.episode.referral_nfa is True


@rule(
    "4003",
    "A CPP review date is shown as being held at the same time as an open CIN Plan.",
    Module.CP_PLAN,
    "CINPlanStartDate",
    "CINPlanEndDate",
    "CPPreviewDate",
)
def _review_during_cin_plan(plan: CPPlan, ctx: Context) -> bool:
    # A review on or after a CIN plan's start and before its end, unless it is the review
    # that ended the protection plan (stepping down to the CIN plan).
    if ctx.episode is None:
        return False
    return any(
        review != plan.end_date
        and cin.start_date is not None
        and cin.start_date <= review
        and (cin.end_date is None or review < cin.end_date)
        for review in plan.review_dates
        for cin in ctx.episode.cin_plans
    )


@rule(
    "8915",
    "Child Protection Plan shown as starting after the child’s Date of Death",  # noqa: RUF001 (the DfE's own wording)
    Module.CP_PLAN,
    "CPPstartDate",
    "PersonDeathDate",
)
def _cpp_starts_after_death(plan: CPPlan, ctx: Context) -> bool:
    died = ctx.child.death_date if ctx.child else None
    return died is not None and plan.start_date is not None and plan.start_date > died


@rule(
    "8920",
    "Child Protection Plan cannot end after the child’s Date of Death",  # noqa: RUF001 (the DfE's own wording)
    Module.CP_PLAN,
    "PersonDeathDate",
    "CPPendDate",
)
def _cpp_ends_after_death(plan: CPPlan, ctx: Context) -> bool:
    died = ctx.child.death_date if ctx.child else None
    return died is not None and plan.end_date is not None and plan.end_date > died


@rule(
    "8930",
    "Child Protection Plan End Date must fall within the census year",
    Module.CP_PLAN,
    "CPPendDate",
    "ReferenceDate",
)
def _cpp_end_in_year(plan: CPPlan, ctx: Context) -> bool:
    end = plan.end_date
    return end is not None and not ctx.period.contains(end)


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
    "8925",
    "Child Protection Plan End Date earlier than Start Date",
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
    "8905",
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
    "Census code set)",
    Module.CP_PLAN,
    "InitialCategoryOfAbuse",
)
def _cpp_initial_category(plan: CPPlan, ctx: Context) -> bool:
    return plan.initial_category not in CATEGORIES


@rule(
    "8910",
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
    "Census code set)",
    Module.CP_PLAN,
    "LatestCategoryOfAbuse",
)
def _cpp_latest_category(plan: CPPlan, ctx: Context) -> bool:
    return plan.latest_category not in CATEGORIES


@rule(
    "8841",
    "The review date cannot be on the same day or before the Child protection Plan start date.",
    Module.CP_PLAN,
    "CPPstartDate",
    "CPPreviewDate",
)
def _cpp_review_before_start(plan: CPPlan, ctx: Context) -> bool:
    start = plan.start_date
    return start is not None and any(day <= start for day in plan.review_dates)


@rule(
    "LA18",
    "Child protection plan review dates must not be after the plan's end",
    Module.CP_PLAN,
    "CPPreviewDate",
    "CPPendDate",
)
def _cpp_review_after_end(plan: CPPlan, ctx: Context) -> bool:
    end = plan.end_date
    return end is not None and any(day > end for day in plan.review_dates)


@rule(
    "8730",
    "Total Number of previous Child Protection Plans missing",
    Module.CP_PLAN,
    "NumberOfPreviousCPP",
)
def _cpp_previous_missing(plan: CPPlan, ctx: Context) -> bool:
    return plan.previous_plans is None or plan.previous_plans < 0


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
