"""Reads for inspection and improvement: the timeline, the next window, the countdown, the
plan with its ratings, live indicator evidence and the board pack."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evident.core.working_days import working_days_between
from evident.inspection import rules
from evident.inspection.charts import line_chart
from evident.inspection.models import (
    Action,
    Activity,
    Board,
    Document,
    Finding,
    IndicatorTarget,
    Judgement,
    Meeting,
    MeetingAction,
    PlanSettings,
    Priority,
)
from evident.performance.england import latest_england
from evident.performance.indicators import Indicator, indicator_summary, shared_reads
from evident.performance.indicators.registry import indicator_get, indicator_list
from evident.performance.periods import local_date, month_label_short


def activities() -> QuerySet[Activity]:
    return Activity.objects.prefetch_related("judgements", "findings")


def activity_get(pk: int) -> Activity | None:
    return activities().filter(pk=pk).first()


def last_graded_judgement() -> tuple[Activity, Judgement] | None:
    """The latest published graded inspection's headline judgement."""
    for activity in activities().filter(kind__in=Activity.GRADED_KINDS).order_by("-starts_on"):
        area = rules.headline_area(activity.starts_on)
        for judgement in activity.judgements.all():
            if judgement.area == area:
                return activity, judgement
    return None


def next_window() -> rules.Window | None:
    found = last_graded_judgement()
    if found is None:
        return None
    activity, judgement = found
    return rules.next_inspection_window(
        judged_on=activity.ends_on or activity.starts_on, grade=judgement.grade
    )


def countdown(activity: Activity, *, today: date | None = None) -> int | None:
    """Working days from today to the first day on site (None once it has begun)."""
    today = today or local_date(timezone.now())
    if activity.notified_on is None or today >= activity.starts_on:
        return None
    return working_days_between(today, activity.starts_on)


@dataclass(frozen=True)
class PlanDeadline:
    activity: Activity
    due_on: date
    priority_actions: int
    answered: bool  # the plan has a priority linked to this activity's findings


def plan_deadlines() -> list[PlanDeadline]:
    """A plan is due after each published graded inspection, and after any visit whose
    letter set areas for priority action."""
    deadlines = []
    for activity in activities().filter(published_on__isnull=False, kind__in=Activity.PLAN_KINDS):
        priority_actions = sum(
            1 for f in activity.findings.all() if f.kind == Finding.Kind.PRIORITY_ACTION
        )
        published_on = activity.published_on
        if published_on is None or not (activity.is_graded or priority_actions):
            continue
        answered = Priority.objects.filter(findings__activity=activity).exists()
        deadlines.append(
            PlanDeadline(
                activity=activity,
                due_on=rules.plan_due_on(published_on=published_on),
                priority_actions=priority_actions,
                answered=answered,
            )
        )
    return deadlines


def plan_published_on() -> date | None:
    plan = PlanSettings.objects.filter(pk=1).first()
    return plan.published_on if plan else None


@dataclass(frozen=True)
class RatedAction:
    action: Action
    suggested: rules.Rag
    rag: rules.Rag
    overridden: bool


def rate(action: Action, *, today: date) -> RatedAction:
    suggested = rules.suggested_rag(
        status=action.status, due_on=action.due_on, today=today, completed_on=action.completed_on
    )
    if action.rag_override and suggested is not rules.Rag.COMPLETE:
        return RatedAction(action, suggested, rules.Rag(action.rag_override), True)
    return RatedAction(action, suggested, suggested, False)


@dataclass(frozen=True)
class PlanPriority:
    priority: Priority
    actions: list[RatedAction]


def plan(*, today: date | None = None) -> list[PlanPriority]:
    today = today or local_date(timezone.now())
    priorities = Priority.objects.prefetch_related(
        "findings__activity",
        Prefetch(
            "actions",
            queryset=Action.objects.prefetch_related("findings", "evidence", "updates"),
        ),
    )
    return [
        PlanPriority(priority=p, actions=[rate(a, today=today) for a in p.actions.all()])
        for p in priorities
    ]


def rag_summary(items: Iterable[RatedAction]) -> dict[rules.Rag, int]:
    counts = Counter(item.rag for item in items)
    return {rag: counts.get(rag, 0) for rag in rules.Rag}


# --- Indicators with their targets


@dataclass(frozen=True)
class IndicatorEvidence:
    indicator: Indicator
    target: IndicatorTarget | None
    labels: list[str]
    values: list[float | None]
    latest: float | None
    latest_label: str
    last_12: float | None

    @property
    def status(self) -> str:
        """Against the target: met, within tolerance, or missed."""
        if self.indicator.neutral:
            return "for watching"  # a share to watch: neither way is better
        if self.target is None or self.latest is None:
            return "no target" if self.target is None else "no data"
        target = float(self.target.target)
        tolerance = float(self.target.tolerance)
        gap = self.latest - target if self.indicator.higher_is_better else target - self.latest
        if gap >= 0:
            return "on target"
        return "within tolerance" if -gap <= tolerance else "off target"

    @property
    def england(self) -> Decimal | None:
        """The figure the council entered with its target, else the DfE's latest
        (``performance.england``), else None."""
        if self.target and self.target.england is not None:
            return self.target.england
        figure = latest_england(self.indicator.code)
        return figure.value if figure else None

    def chart(self) -> SafeString:
        return line_chart(
            title=f"{self.indicator.title}: monthly percentage",
            labels=self.labels,
            values=self.values,
            target=float(self.target.target) if self.target else None,
            england=_decimal_or_none(self.england),
        )


def _decimal_or_none(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# A board pack counts every indicator with a target; its page and its PDF are usually asked
# for within minutes of each other. Live figures are kept this long per process (and the pack
# says so), so the PDF does not count the same records again.
SERIES_SECONDS = 300


def _series(indicator: Indicator, now: datetime | None) -> dict[str, Any]:
    def count() -> dict[str, Any]:
        summary = indicator_summary(indicator, now=now)
        months = summary.complete_months[-12:]
        latest = months[-1] if months else None
        return {
            "labels": [month_label_short(m.month) for m in months],
            "values": [m.percentage for m in months],
            "latest": latest.percentage if latest else None,
            "latest_label": latest.label if latest else "",
            "last_12": summary.last_12_months.percentage,
        }

    if now is not None:  # a fixed moment (tests, reports as of a date): always counted
        return count()
    bucket = int(time.time()) // SERIES_SECONDS
    key = f"inspection:series:{indicator.code}:{bucket}"
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, SERIES_SECONDS)
    return dict(found)


def indicator_evidence(
    indicator: Indicator,
    *,
    target: IndicatorTarget | None = None,
    now: datetime | None = None,
) -> IndicatorEvidence:
    series = _series(indicator, now)
    return IndicatorEvidence(indicator=indicator, target=target, **series)


def targets_by_code() -> dict[str, IndicatorTarget]:
    return {t.indicator_code: t for t in IndicatorTarget.objects.all()}


def indicators_with_evidence(
    *, indicators: Sequence[Indicator] | None = None, now: datetime | None = None
) -> list[IndicatorEvidence]:
    targets = targets_by_code()
    chosen = indicators if indicators is not None else indicator_list()
    with shared_reads():  # rows several indicators count are read once
        return [indicator_evidence(i, target=targets.get(i.code), now=now) for i in chosen]


# --- A board's action log


@dataclass(frozen=True)
class LoggedAction:
    action: MeetingAction
    rag: rules.Rag


def board_action_log(
    board: Board, *, today: date, before: Meeting | None = None, open_only: bool = True
) -> list[LoggedAction]:
    """The board's actions from every meeting (or from those before ``before``: the
    matters arising at that meeting), the still-open ones by default, red first then by
    due date."""
    actions = MeetingAction.objects.filter(meeting__board=board).select_related("meeting")
    if open_only:
        actions = actions.filter(done_on__isnull=True)
    if before is not None:
        actions = actions.filter(meeting__held_on__lt=before.held_on)
    logged = [
        LoggedAction(a, rules.board_action_rag(due_on=a.due_on, done_on=a.done_on, today=today))
        for a in actions
    ]
    order = [rules.Rag.RED, rules.Rag.AMBER, rules.Rag.GREEN, rules.Rag.COMPLETE]
    return sorted(logged, key=lambda e: (order.index(e.rag), e.action.due_on or date.max))


def meeting_actions(meeting: Meeting, *, today: date) -> list[LoggedAction]:
    """The actions set at this meeting, open or done."""
    return [
        LoggedAction(a, rules.board_action_rag(due_on=a.due_on, done_on=a.done_on, today=today))
        for a in meeting.board_actions.all()
    ]


# --- Citations in the self-evaluation: [indicator:code], [finding:id], [action:id],
# [document:id], shown with their live values.

CITATION = re.compile(r"\[(indicator|finding|action|document):([a-z0-9-]+)\]")


def render_citations(
    text: str, *, now: datetime | None = None, frozen: Mapping[str, str] | None = None
) -> SafeString:
    """Escape the text, then turn each citation into its evidence: the words in ``frozen``
    (a shared version's) where it has them, else the live value."""
    cache: dict[str, str] = {}

    def cite(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in cache:
            words = cited_words(match, now=now, frozen=frozen)
            cache[token] = f'<span class="evident-citation">[{escape(words)}]</span>'
        return cache[token]

    escaped = str(escape(text))
    return mark_safe(CITATION.sub(cite, escaped).replace("\n", "<br>"))


def cited_words(
    match: re.Match[str], *, now: datetime | None, frozen: Mapping[str, str] | None = None
) -> str:
    if frozen is not None and match.group(0) in frozen:
        return frozen[match.group(0)]
    return citation_words(match.group(1), match.group(2), now=now)


def citations_frozen(texts: Iterable[str], *, now: datetime | None = None) -> dict[str, str]:
    """Every citation in ``texts`` with the words it shows now, to keep with a version."""
    found: dict[str, str] = {}
    for text in texts:
        for match in CITATION.finditer(text):
            if match.group(0) not in found:
                found[match.group(0)] = citation_words(match.group(1), match.group(2), now=now)
    return found


def citation_words(kind: str, key: str, *, now: datetime | None) -> str:
    if kind == "indicator":
        indicator = indicator_get(key)
        if indicator is None:
            return f"unknown indicator {key}"
        evidence = indicator_evidence(indicator, target=targets_by_code().get(key), now=now)
        value = f"{evidence.latest:.1f}%" if evidence.latest is not None else "no data"
        target = f", target {evidence.target.target}%" if evidence.target else ""
        england = f", England {evidence.england}%" if evidence.england is not None else ""
        return f"{indicator.title}: {value} in {evidence.latest_label}{target}{england}"
    if not key.isdigit():
        return f"unknown {kind} {key}"
    if kind == "finding":
        finding = Finding.objects.select_related("activity").filter(pk=int(key)).first()
        return f"Finding: {finding.text} ({finding.activity})" if finding else "unknown finding"
    if kind == "action":
        action = Action.objects.filter(pk=int(key)).first()
        if action is None:
            return "unknown action"
        return f"Plan action: {action.title} ({action.get_status_display().lower()})"
    document = Document.objects.filter(pk=int(key)).first()
    return f"Document: {document.title}" if document else "unknown document"


# --- The board pack


@dataclass(frozen=True)
class Concern:
    """A priority with actions in trouble: counted, not listed (the board reads the
    overdue ones in "needing action")."""

    priority: Priority
    red: int
    off_track: int


@dataclass
class BoardPack:
    made_at: datetime
    today: date
    priorities: list[PlanPriority]
    summary: dict[rules.Rag, int]
    progress: list[RatedAction] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    needing_action: list[RatedAction] = field(default_factory=list)
    indicators: list[IndicatorEvidence] = field(default_factory=list)
    deadlines: list[PlanDeadline] = field(default_factory=list)
    # For a meeting's pack: the board's actions from earlier meetings still open.
    board_actions: list[LoggedAction] = field(default_factory=list)

    @property
    def indicators_off_target(self) -> list[IndicatorEvidence]:
        return [i for i in self.indicators if i.status == "off target"]

    @property
    def indicators_on_target(self) -> list[IndicatorEvidence]:
        return [i for i in self.indicators if i.status == "on target"]

    @property
    def total_actions(self) -> int:
        return sum(self.summary.values())


PROGRESS_DAYS = 31


def board_pack(
    *,
    now: datetime | None = None,
    indicators: Sequence[Indicator] | None = None,
    meeting: Meeting | None = None,
) -> BoardPack:
    """From live data: progress (done in the last month or green with a recent update),
    concerns (red or off track), needing action (overdue and due within two weeks
    without progress), the RAG summary and the indicators that have targets; for a
    ``meeting``, the board's own actions from earlier meetings still open."""
    fixed = now  # None: live figures (which may come from the short cache)
    now = now or timezone.now()
    today = local_date(now)
    priorities = plan(today=today)
    rated = [a for p in priorities for a in p.actions]
    if indicators is None:
        targeted = set(targets_by_code())
        indicators = [i for i in indicator_list() if i.code in targeted]
    pack = BoardPack(
        made_at=now,
        today=today,
        priorities=priorities,
        summary=rag_summary(rated),
        indicators=indicators_with_evidence(indicators=indicators, now=fixed),
        deadlines=plan_deadlines(),
        board_actions=board_action_log(meeting.board, today=today, before=meeting)
        if meeting is not None
        else [],
    )
    for item in rated:
        action = item.action
        recent = action.completed_on is not None and (today - action.completed_on).days <= (
            PROGRESS_DAYS
        )
        if recent:
            pack.progress.append(item)
        if item.rag is rules.Rag.RED or (
            item.rag is rules.Rag.AMBER and action.status == Action.Status.NOT_STARTED
        ):
            pack.needing_action.append(item)
    for entry in priorities:
        red = sum(1 for a in entry.actions if a.rag is rules.Rag.RED)
        off_track = sum(
            1
            for a in entry.actions
            if a.action.status == Action.Status.OFF_TRACK and a.rag is not rules.Rag.RED
        )
        if red or off_track:
            pack.concerns.append(Concern(priority=entry.priority, red=red, off_track=off_track))
    return pack
