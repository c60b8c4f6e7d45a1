"""Running the rules: every rule for the census year over every child, episode and module.
Plain functions over records, testable without a database or HTTP."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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


def child_failures(child: Child, period: CensusPeriod, rules: list[Rule]) -> list[Failure]:
    by_module: dict[Module, list[Rule]] = {m: [] for m in Module}
    for r in rules:
        by_module[r.module].append(r)
    found: list[Failure] = []
    ctx = Context(period=period, child=child)
    found += [Failure(r, "Child") for r in by_module[Module.CHILD] if r.fails(child, ctx)]
    for episode in child.episodes:
        ectx = Context(period=period, child=child, episode=episode)
        label = _episode_label(episode)
        found += [Failure(r, label) for r in by_module[Module.EPISODE] if r.fails(episode, ectx)]
        checks: list[tuple[Module, list[Any], str]] = [
            (Module.ASSESSMENT, episode.assessments, "assessment started"),
            (Module.CIN_PLAN, episode.cin_plans, "CIN plan started"),
            (Module.SECTION47, episode.section47s, "section 47 enquiry started"),
            (Module.CP_PLAN, episode.cp_plans, "protection plan started"),
        ]
        for module, items, noun in checks:
            for item in items:
                where = f"{label}: {noun} {_day(item.start_date)}"
                found += [Failure(r, where) for r in by_module[module] if r.fails(item, ectx)]
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
    for child in children:
        report.children_checked += 1
        failures = child_failures(child, period, rules)
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
