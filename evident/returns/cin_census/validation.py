"""Running the rules: every rule for the census year over every child, episode and module.
Plain functions over records, testable without a database or HTTP."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from evident.returns.cin_census.records import CensusPeriod, Child, Episode, Header
from evident.returns.cin_census.rules import Context, Module, Rule, rules_for


@dataclass(frozen=True)
class Failure:
    rule: Rule
    where: str  # which record in the child's return, in words


@dataclass
class ChildFailures:
    la_child_id: str
    person_id: uuid.UUID | None
    failures: list[Failure]
    # The first failing episode's casework id, for a link straight to it.
    episode_id: uuid.UUID | None = None

    @property
    def child_details_failed(self) -> bool:
        """A failure in the child's own details (UPN, ethnicity, disability...), which are
        corrected on the person's record rather than in an episode."""
        return any(f.rule.module is Module.CHILD for f in self.failures)


@dataclass
class ValidationReport:
    period: CensusPeriod
    rules: list[Rule]
    children_checked: int = 0
    header_failures: list[Failure] = field(default_factory=list)
    children: list[ChildFailures] = field(default_factory=list)
    by_rule: Counter[str] = field(default_factory=Counter)

    @property
    def failures(self) -> int:
        return sum(self.by_rule.values())

    def rule_counts(self) -> list[tuple[Rule, int]]:
        """Each rule that failed at least once, with how many times, in code order."""
        return [(r, self.by_rule[r.code]) for r in self.rules if self.by_rule[r.code]]


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "no date"


def _episode_label(episode: Episode) -> str:
    return f"Referral of {_day(episode.referral_date)}"


def by_module(rules: list[Rule]) -> dict[Module, list[Rule]]:
    grouped: dict[Module, list[Rule]] = {m: [] for m in Module}
    for r in rules:
        grouped[r.module].append(r)
    return grouped


# Each step of an episode: its module, where it sits in the episode, and its name in words.
_STEPS: tuple[tuple[Module, str, str], ...] = (
    (Module.ASSESSMENT, "assessments", "assessment started"),
    (Module.CIN_PLAN, "cin_plans", "CIN plan started"),
    (Module.SECTION47, "section47s", "section 47 enquiry started"),
    (Module.CP_PLAN, "cp_plans", "protection plan started"),
)


def child_failures(
    child: Child,
    period: CensusPeriod,
    rules: list[Rule],
    grouped: dict[Module, list[Rule]] | None = None,
) -> list[Failure]:
    """Every rule over one child, each episode and each step of it, once. ``grouped`` is
    ``by_module(rules)``, worked out once per census rather than per child."""
    grouped = grouped if grouped is not None else by_module(rules)
    found: list[Failure] = []
    ctx = Context(period=period, child=child)
    found += [Failure(r, "Child") for r in grouped[Module.CHILD] if r.fails(child, ctx)]
    for episode in child.episodes:
        ectx = Context(period=period, child=child, episode=episode)
        failed = [r for r in grouped[Module.EPISODE] if r.fails(episode, ectx)]
        # The words for where a failure is are only worked out when there is one.
        if failed:
            found += [Failure(r, _episode_label(episode)) for r in failed]
        for module, attribute, noun in _STEPS:
            module_rules = grouped[module]
            for item in getattr(episode, attribute):
                failed = [r for r in module_rules if r.fails(item, ectx)]
                if failed:
                    where = f"{_episode_label(episode)}: {noun} {_day(item.start_date)}"
                    found += [Failure(r, where) for r in failed]
    return found


def census_validate(
    children: Iterable[Child], period: CensusPeriod, header: Header | None = None
) -> ValidationReport:
    """Every rule for the period's year over every child (and over a file's header)."""
    rules = rules_for(period.year)
    report = ValidationReport(period=period, rules=rules)
    if header is not None:
        ctx = Context(period=period)
        report.header_failures = [
            Failure(r, "Header")
            for r in rules
            if r.module is Module.HEADER and r.fails(header, ctx)
        ]
        report.by_rule.update(f.rule.code for f in report.header_failures)
    grouped = by_module(rules)
    for child in children:
        report.children_checked += 1
        failures = child_failures(child, period, rules, grouped)
        if not failures:
            continue
        for failure in failures:
            report.by_rule[failure.rule.code] += 1
        episode_id = next((e.episode_id for e in child.episodes if e.episode_id), None)
        report.children.append(
            ChildFailures(
                la_child_id=child.la_child_id,
                person_id=child.person_id,
                failures=failures,
                episode_id=episode_id,
            )
        )
    return report
