"""Reads for casework: whose referrals a user sees, and the duty team's tray."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from evident.accounts.roles import Role
from evident.audit.services import audit_people_read
from evident.casework import rules
from evident.casework.models import (
    Allocation,
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    CINPlanReview,
    Conference,
    CoreGroup,
    EmergencyProtection,
    Episode,
    PanelReview,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.core import clocks
from evident.core.clocks import LONDON
from evident.core.codes import CaseStatus
from evident.people.selectors import people_visible_to

REFERRALS_PAGE_SIZE = 50
CASEWORK_TEAM_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})


def episodes_visible_to(user: Any) -> QuerySet[Episode]:
    """Council social workers and team managers see the episodes allocated to their own
    teams; nobody else sees any through casework pages."""
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or not user.works_for_council
        or not user.roles & CASEWORK_TEAM_ROLES
    ):
        return Episode.objects.none()
    return Episode.objects.filter(team__in=user.teams.all())


def episode_get_for_user(*, user: Any, episode_id: uuid.UUID | str) -> Episode:
    """One episode in the user's teams; 404 when unknown or out of scope. Not audited."""
    try:
        return (
            episodes_visible_to(user)
            .select_related("person", "team", "worker", "contact_child__contact")
            .get(pk=episode_id)
        )
    except (Episode.DoesNotExist, ValueError) as exc:
        raise Http404("No such referral") from exc


@dataclass(frozen=True)
class ReferralRow:
    episode: Episode
    strategy_due_today: bool
    strategy_overdue: bool


def referral_row(episode: Episode, today: date) -> ReferralRow:
    due = episode.strategy_discussion_due if episode.strategy_discussion_required else None
    return ReferralRow(
        episode=episode,
        strategy_due_today=due is not None and due == today,
        strategy_overdue=due is not None and due < today,
    )


@dataclass(frozen=True)
class ReferralsPage:
    page: Page[Episode]
    rows: list[ReferralRow]


def referrals_page(*, user: Any, page_number: Any, today: date, path: str = "") -> ReferralsPage:
    """The duty and assessment tray: open referrals in the user's teams, newest first.
    The children listed are audited as read before the page is returned."""
    episodes = (
        episodes_visible_to(user)
        .filter(closed_on__isnull=True)
        .select_related("person", "team", "worker", "contact_child__contact")
        .order_by("-referral_date", "-created_at", "pk")
    )
    page = Paginator(episodes, REFERRALS_PAGE_SIZE).get_page(page_number)
    rows = [referral_row(episode, today) for episode in page.object_list]
    audit_people_read(
        actor=user,
        people=[row.episode.person for row in rows],
        section="casework.referrals",
        path=path,
    )
    return ReferralsPage(page=page, rows=rows)


# Reading one child's casework ------------------------------------------------------------


def episodes_readable_by(user: Any) -> QuerySet[Episode]:
    """Episodes a user may read: those of the people they may see (council casework staff,
    front-door practitioners included). Writing stays with the episode's team."""
    return Episode.objects.filter(person__in=people_visible_to(user))


def episode_for_reading(*, user: Any, episode_id: uuid.UUID | str) -> Episode:
    try:
        return (
            episodes_readable_by(user)
            .select_related("person", "team", "worker", "closed_by")
            .get(pk=episode_id)
        )
    except (Episode.DoesNotExist, ValueError) as exc:
        raise Http404("No such episode") from exc


def can_write(user: Any, episode: Episode) -> bool:
    return episodes_visible_to(user).filter(pk=episode.pk).exists() or (
        episode.worker_id == user.pk
    )


@dataclass(frozen=True)
class EpisodeSteps:
    episode: Episode
    allocations: list[Allocation]
    assessments: list[Assessment]
    strategy_discussions: list[StrategyDiscussion]
    section47s: list[Section47]
    conferences: list[Conference]
    cp_plans: list[ChildProtectionPlan]
    core_groups: list[CoreGroup]
    cin_plans: list[CINPlan]
    cin_reviews: list[CINPlanReview]
    visits: list[Visit]
    emergency_protections: list[EmergencyProtection]
    panel_reviews: list[PanelReview]
    status: CaseStatus

    @property
    def open_assessment(self) -> Assessment | None:
        return next((a for a in self.assessments if a.authorised_on is None), None)

    @property
    def open_enquiries(self) -> list[Section47]:
        answered = {c.section47_id for c in self.conferences if c.section47_id}
        return [
            s for s in self.section47s if s.pk not in answered and not s.conference_not_required
        ]

    @property
    def assessments_seen(self) -> list[tuple[Assessment, bool]]:
        """Each assessment with whether the child was seen during it (Annex A List 4)."""
        today = timezone.now().astimezone(LONDON).date()
        return [
            (
                a,
                rules.child_seen_during_assessment(
                    self.visits, start=a.start_date, end=a.authorised_on, as_of=today
                ),
            )
            for a in self.assessments
        ]

    @property
    def open_cp_plan(self) -> ChildProtectionPlan | None:
        return next((p for p in self.cp_plans if p.end_date is None), None)

    @property
    def open_cin_plan(self) -> CINPlan | None:
        return next((p for p in self.cin_plans if p.end_date is None), None)


STEP_MODELS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "allocations": (Allocation, ("team", "worker", "allocated_by")),
    "assessments": (Assessment, ("authorised_by", "recorded_by")),
    "strategy_discussions": (StrategyDiscussion, ("recorded_by",)),
    "section47s": (Section47, ("strategy_discussion",)),
    "conferences": (Conference, ()),
    "cp_plans": (ChildProtectionPlan, ()),
    "core_groups": (CoreGroup, ()),
    "cin_plans": (CINPlan, ()),
    "cin_reviews": (CINPlanReview, ()),
    "visits": (Visit, ("recorded_by",)),
    "emergency_protections": (EmergencyProtection, ()),
    "panel_reviews": (PanelReview, ("recorded_by",)),
}


def episode_steps_many(episodes: list[Episode]) -> list[EpisodeSteps]:
    """Every step of each episode, in one query per kind of step (not per episode), so a
    tray of hundreds of children stays a dozen queries."""
    ids = [episode.pk for episode in episodes]
    grouped: dict[str, dict[Any, list[Any]]] = {}
    for name, (model, related) in STEP_MODELS.items():
        by_episode: dict[Any, list[Any]] = {}
        for row in model.objects.filter(episode_id__in=ids).select_related(*related):
            by_episode.setdefault(row.episode_id, []).append(row)
        grouped[name] = by_episode
    result = []
    for episode in episodes:
        steps = {name: rows.get(episode.pk, []) for name, rows in grouped.items()}
        result.append(
            EpisodeSteps(
                episode=episode,
                **steps,
                status=rules.case_status(
                    closed=episode.closed_on is not None,
                    # Children in care come with a later app; nobody is looked after yet.
                    looked_after=False,
                    on_cp_plan=any(p.end_date is None for p in steps["cp_plans"]),
                    on_cin_plan=any(p.end_date is None for p in steps["cin_plans"]),
                ),
            )
        )
    return result


def episode_steps(episode: Episode) -> EpisodeSteps:
    return episode_steps_many([episode])[0]


# Chronology -------------------------------------------------------------------------------


class EventType(StrEnum):
    CONTACT = "contact"
    DECISION = "decision"
    REFERRAL = "referral"
    ALLOCATION = "allocation"
    ASSESSMENT = "assessment"
    STRATEGY = "strategy"
    SECTION_47 = "s47"
    CONFERENCE = "conference"
    PLAN = "plan"
    VISIT = "visit"
    MEETING = "meeting"
    PROTECTION = "protection"
    PANEL = "panel"
    CLOSURE = "closure"

    @property
    def label(self) -> str:
        return EVENT_TYPE_LABELS[self]


EVENT_TYPE_LABELS = {
    EventType.CONTACT: "Contacts",
    EventType.DECISION: "Front-door decisions",
    EventType.REFERRAL: "Referrals",
    EventType.ALLOCATION: "Allocations",
    EventType.ASSESSMENT: "Assessments",
    EventType.STRATEGY: "Strategy discussions",
    EventType.SECTION_47: "Section 47 enquiries",
    EventType.CONFERENCE: "Conferences",
    EventType.PLAN: "Plans",
    EventType.VISIT: "Visits",
    EventType.MEETING: "Core groups and plan reviews",
    EventType.PROTECTION: "Emergency protection",
    EventType.PANEL: "Panel decisions",
    EventType.CLOSURE: "Closures",
}


@dataclass(frozen=True)
class ChronologyEvent:
    day: date
    type: EventType
    title: str
    detail: str = ""
    voice: str = ""
    by: str = ""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _front_door_events(person: Any, add: Any) -> None:
    from evident.front_door.models import ContactChild

    rows = ContactChild.objects.filter(person=person).select_related("contact")
    for row in rows:
        contact = row.contact
        add(
            ChronologyEvent(
                contact.received_at.astimezone(LONDON).date(),
                EventType.CONTACT,
                f"Contact {contact.reference} from {contact.get_source_display()}",
                voice=row.voice_views,
            )
        )
        decision = getattr(row, "decision", None)
        if decision is not None:
            add(
                ChronologyEvent(
                    decision.decided_at.astimezone(LONDON).date(),
                    EventType.DECISION,
                    f"Front-door decision: {decision.get_outcome_display()}",
                    detail=decision.rationale,
                )
            )


def _assessment_events(steps: EpisodeSteps, add: Any) -> None:
    for a in steps.assessments:
        add(
            ChronologyEvent(
                a.start_date,
                EventType.ASSESSMENT,
                "Assessment started",
                by=_name(a.recorded_by),
            )
        )
        if a.completed_on:
            add(
                ChronologyEvent(
                    a.completed_on,
                    EventType.ASSESSMENT,
                    f"Assessment completed: {a.get_outcome_display()}",
                    detail="Factors: " + ", ".join(a.factors),
                    voice=a.child_views,
                )
            )
        if a.authorised_on:
            add(
                ChronologyEvent(
                    a.authorised_on,
                    EventType.ASSESSMENT,
                    "Assessment authorised",
                    detail=a.authorisation_rationale,
                    by=_name(a.authorised_by),
                )
            )


def _protection_events(steps: EpisodeSteps, add: Any) -> None:
    for s in steps.strategy_discussions:
        present = [
            name
            for name, there in (
                ("police", s.police_attended),
                ("health", s.health_attended),
                ("education", s.education_attended),
                ("social care", s.social_care_attended),
            )
            if there
        ]
        add(
            ChronologyEvent(
                s.held_on,
                EventType.STRATEGY,
                f"Strategy discussion: {s.get_decision_display()}",
                detail=f"Present: {', '.join(present)}. {s.rationale}",
                by=_name(s.recorded_by),
            )
        )
    for e in steps.section47s:
        add(ChronologyEvent(e.start_date, EventType.SECTION_47, "Section 47 enquiry started"))
        if e.completed_on:
            add(
                ChronologyEvent(
                    e.completed_on,
                    EventType.SECTION_47,
                    f"Section 47 outcome: {e.get_outcome_display()}",
                    detail=e.conference_not_required_reason,
                    voice=e.child_views,
                )
            )
    for c in steps.conferences:
        outcome = (
            ("Plan made" if c.plan_made else "No plan")
            if c.kind == Conference.Kind.INITIAL
            else ("Plan continues" if c.plan_made else "Plan ended")
        )
        add(
            ChronologyEvent(
                c.held_on,
                EventType.CONFERENCE,
                f"{c.get_kind_display()}: {outcome}",
                detail=c.decision_rationale,
                voice=c.child_views,
            )
        )


def _plan_events(steps: EpisodeSteps, add: Any) -> None:
    for p in steps.cp_plans:
        add(
            ChronologyEvent(
                p.start_date,
                EventType.PLAN,
                f"Child protection plan started ({p.get_initial_category_display()})",
            )
        )
        if p.end_date:
            add(
                ChronologyEvent(
                    p.end_date,
                    EventType.PLAN,
                    f"Child protection plan ended: {p.get_end_reason_display()}",
                )
            )
    for cin in steps.cin_plans:
        add(ChronologyEvent(cin.start_date, EventType.PLAN, "Child-in-need plan started"))
        if cin.end_date:
            add(
                ChronologyEvent(
                    cin.end_date,
                    EventType.PLAN,
                    f"Child-in-need plan ended: {cin.get_end_reason_display()}",
                )
            )
    for g in steps.core_groups:
        add(ChronologyEvent(g.held_on, EventType.MEETING, "Core group", detail=g.notes))
    for r in steps.cin_reviews:
        add(
            ChronologyEvent(
                r.held_on,
                EventType.MEETING,
                "Child-in-need plan review",
                detail=r.notes,
                voice=r.child_views,
            )
        )
    for v in steps.visits:
        seen = "seen alone" if v.seen_alone else ("seen" if v.child_seen else "not seen")
        add(
            ChronologyEvent(
                v.visited_on,
                EventType.VISIT,
                f"Visit ({v.get_purpose_display()}): child {seen}",
                voice=v.child_said,
                by=_name(v.recorded_by),
            )
        )
    for x in steps.emergency_protections:
        add(
            ChronologyEvent(
                x.start_date, EventType.PROTECTION, x.get_kind_display(), detail=x.details
            )
        )
    for panel in steps.panel_reviews:
        add(
            ChronologyEvent(
                panel.held_on,
                EventType.PANEL,
                f"Children in need panel: {panel.get_decision_display()}",
                detail=panel.actions,
                by=_name(panel.recorded_by),
            )
        )


def chronology(*, person: Any, types: set[str] | None = None) -> list[ChronologyEvent]:
    """Every recorded event in the child's life with the service, oldest first: contacts
    and front-door decisions, then each episode's steps to its closure."""
    events: list[ChronologyEvent] = []
    add = events.append
    _front_door_events(person, add)
    for episode in Episode.objects.filter(person=person).select_related("created_by", "closed_by"):
        steps = episode_steps(episode)
        add(
            ChronologyEvent(
                episode.referral_date,
                EventType.REFERRAL,
                f"Referral from {episode.get_referral_source_display()}",
                by=_name(episode.created_by),
            )
        )
        for allocation in steps.allocations:
            who = _name(allocation.worker) or "no worker yet"
            add(
                ChronologyEvent(
                    allocation.started_at.astimezone(LONDON).date(),
                    EventType.ALLOCATION,
                    f"Allocated to {allocation.team.name}: {who}",
                    by=_name(allocation.allocated_by),
                )
            )
        _assessment_events(steps, add)
        _protection_events(steps, add)
        _plan_events(steps, add)
        if episode.closed_on:
            add(
                ChronologyEvent(
                    episode.closed_on,
                    EventType.CLOSURE,
                    f"Episode closed: {episode.closure_reason} "
                    f"{episode.get_closure_reason_display()}",
                    detail=episode.closure_rationale,
                    by=_name(episode.closed_by),
                )
            )
    if types:
        events = [e for e in events if e.type in types]
    # Stable: events of one day keep the order they happened in.
    return sorted(events, key=lambda e: e.day)


# What is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    episode: Episode
    what: str
    rule: clocks.DayClockRule
    due: date
    days_left: int
    rag: clocks.Rag


def due_for_episode(steps: EpisodeSteps, today: date) -> list[DueItem]:
    """What the episode's clocks ask for next: the assessment, the initial conference, the
    first core group, the next review conference, the next visit, the CIN plan review."""
    episode = steps.episode
    found: list[tuple[str, clocks.DayClockRule, date]] = []
    if episode.strategy_discussion_required and not steps.strategy_discussions:
        due = episode.strategy_discussion_due or episode.referral_date
        found.append(("Strategy discussion", clocks.STRATEGY_DISCUSSION, due))
    if steps.open_assessment is not None:
        # Derived afresh (ADR 0008): a closure day added since the start moves it.
        found.append(
            (
                "Assessment authorised",
                clocks.ASSESSMENT,
                clocks.ASSESSMENT.due_on(episode.referral_date),
            )
        )
    for enquiry in steps.open_enquiries:
        due = clocks.INITIAL_CONFERENCE.due_on(enquiry.strategy_discussion.held_on)
        found.append(("Initial conference", clocks.INITIAL_CONFERENCE, due))
    if (plan := steps.open_cp_plan) is not None:
        if not any(g.plan_id == plan.pk for g in steps.core_groups):
            found.append(
                (
                    "First core group",
                    clocks.FIRST_CORE_GROUP,
                    clocks.FIRST_CORE_GROUP.due_on(plan.start_date),
                )
            )
        reviews = [c.held_on for c in steps.conferences if c.plan_id == plan.pk]
        rule = clocks.REVIEW_CONFERENCE if reviews else clocks.FIRST_REVIEW_CONFERENCE
        found.append(
            ("Review conference", rule, rule.due_on(max(reviews, default=plan.start_date)))
        )
        visits = [
            v.visited_on
            for v in steps.visits
            if v.purpose == Visit.Purpose.CP_PLAN and v.visited_on >= plan.start_date
        ]
        found.append(
            (
                "Statutory visit",
                clocks.CP_VISIT,
                clocks.CP_VISIT.due_on(max(visits, default=plan.start_date)),
            )
        )
    if (cin := steps.open_cin_plan) is not None:
        reviews = [r.held_on for r in steps.cin_reviews if r.plan_id == cin.pk]
        found.append(
            (
                "Child-in-need plan review",
                clocks.CIN_PLAN_REVIEW,
                clocks.CIN_PLAN_REVIEW.due_on(max(reviews, default=cin.start_date)),
            )
        )
        visits = [
            v.visited_on
            for v in steps.visits
            if v.purpose == Visit.Purpose.CIN_PLAN and v.visited_on >= cin.start_date
        ]
        found.append(
            (
                "Child-in-need visit",
                clocks.CIN_VISIT,
                clocks.CIN_VISIT.due_on(max(visits, default=cin.start_date)),
            )
        )
    return [
        DueItem(
            episode=episode,
            what=what,
            rule=rule,
            due=due,
            days_left=clocks.working_days_left(due, today),
            rag=rule.rag_on(due, today),
        )
        for what, rule, due in found
    ]


def due_items(*, episodes: QuerySet[Episode], today: date) -> list[DueItem]:
    """Due and overdue items of open episodes, most urgent first (fewest days left)."""
    items: list[DueItem] = []
    open_episodes = list(
        episodes.filter(closed_on__isnull=True)
        .select_related("person", "team", "worker")
        .order_by("referral_date", "pk")
    )
    for steps in episode_steps_many(open_episodes):
        items.extend(due_for_episode(steps, today))
    return sorted(items, key=lambda item: (item.days_left, item.episode.person.last_name))


# Caseloads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    worker: Any
    episodes: list[tuple[Episode, CaseStatus]]

    def count(self, status: CaseStatus) -> int:
        return sum(1 for _, s in self.episodes if s == status)

    @property
    def cp(self) -> int:
        return self.count(CaseStatus.CP_PLAN)

    @property
    def cin(self) -> int:
        return self.count(CaseStatus.CIN_PLAN)

    @property
    def assessment(self) -> int:
        return self.count(CaseStatus.OPEN_ASSESSMENT)


def caseloads(*, user: Any) -> list[CaseloadRow]:
    """Each worker's open episodes in the manager's teams, with the type of plan."""
    open_episodes = (
        episodes_visible_to(user)
        .filter(closed_on__isnull=True, worker__isnull=False)
        .select_related("person", "worker", "team")
        .annotate(
            cp_open=Exists(
                ChildProtectionPlan.objects.filter(episode=OuterRef("pk"), end_date__isnull=True)
            ),
            cin_open=Exists(CINPlan.objects.filter(episode=OuterRef("pk"), end_date__isnull=True)),
        )
        .order_by("worker__last_name", "worker__first_name", "person__last_name")
    )
    rows: dict[Any, CaseloadRow] = {}
    for episode in open_episodes:
        status = rules.case_status(
            closed=False,
            looked_after=False,
            on_cp_plan=episode.cp_open,
            on_cin_plan=episode.cin_open,
        )
        worker: Any = episode.worker
        row = rows.setdefault(worker.pk, CaseloadRow(worker=worker, episodes=[]))
        row.episodes.append((episode, status))
    return list(rows.values())


# Children in need panel --------------------------------------------------------------------


class PanelReason(StrEnum):
    LONG_CIN_PLAN = "long_cin_plan"
    RE_REFERRED = "re_referred"
    STEPPED_DOWN = "stepped_down"


PANEL_REASON_LABELS = {
    PanelReason.LONG_CIN_PLAN: "On a child-in-need plan longer than the panel's limit",
    PanelReason.RE_REFERRED: "Re-referred within 12 months",
    PanelReason.STEPPED_DOWN: "Stepped down from a protection plan",
}


@dataclass(frozen=True)
class PanelRow:
    episode: Episode
    reasons: list[PanelReason]
    last_review: PanelReview | None

    @property
    def reason_labels(self) -> list[str]:
        return [PANEL_REASON_LABELS[r] for r in self.reasons]


def panel_months() -> int:
    """How long a child-in-need plan runs before the panel looks again (a local setting)."""
    return int(getattr(settings, "CASEWORK_CIN_PANEL_MONTHS", 9))


def panel_list(*, user: Any, today: date) -> list[PanelRow]:
    """Open episodes, in the user's scope, whose plans need a second look."""
    limit = clocks.add_months(today, -panel_months())
    episodes = (
        episodes_readable_by(user)
        .filter(closed_on__isnull=True)
        .select_related("person", "team", "worker")
        .order_by("person__last_name", "person__first_name")
    )
    long_cin = set(
        CINPlan.objects.filter(end_date__isnull=True, start_date__lte=limit).values_list(
            "episode_id", flat=True
        )
    )
    stepped_down = set(
        ChildProtectionPlan.objects.filter(
            end_reason=ChildProtectionPlan.EndReason.STEPPED_DOWN_CIN
        ).values_list("episode_id", flat=True)
    )
    referrals: dict[Any, list[date]] = {}
    for person_id, day in Episode.objects.values_list("person_id", "referral_date"):
        referrals.setdefault(person_id, []).append(day)
    latest: dict[Any, PanelReview] = {}
    for review in PanelReview.objects.filter(episode__closed_on__isnull=True).order_by(
        "held_on", "pk"
    ):
        latest[review.episode_id] = review
    rows = []
    for episode in episodes:
        reasons = []
        if episode.pk in long_cin:
            reasons.append(PanelReason.LONG_CIN_PLAN)
        if rules.is_re_referral(referrals.get(episode.person_id, []), episode.referral_date):
            reasons.append(PanelReason.RE_REFERRED)
        if episode.pk in stepped_down:
            reasons.append(PanelReason.STEPPED_DOWN)
        if reasons:
            rows.append(
                PanelRow(episode=episode, reasons=reasons, last_review=latest.get(episode.pk))
            )
    return rows
