"""Writes for casework: opening the episode a referral starts, allocating it, and every
statutory step in it up to closure.

The front door calls ``episode_open_for_referral`` inside its own authorisation
transaction; casework never imports the front door's services.

Every write locks the episode, checks the version the user's page was shown with (when
given), checks the step is in order (a message that says why when it is not), saves,
bumps the version and writes the audit event, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from evident.accounts.models import Team, User
from evident.accounts.roles import Role
from evident.accounts.services import team_get_or_create
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
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
from evident.core.codes import AssessmentFactor, CategoryOfAbuse, PrimaryNeed, ReasonForClosure
from evident.core.working_days import WorkingDayCalendar, council_calendar

# Used only when the council has no duty and assessment team set up yet.
DEFAULT_DAT_TEAM_NAME = "Duty and Assessment"

# A protection plan or a child-in-need plan: the steps they share (meetings, ending).
PlanT = TypeVar("PlanT", ChildProtectionPlan, CINPlan)


def duty_team() -> Team:
    """The team new referrals go to: the council's first duty and assessment team by
    name (one is created when there is none, so an authorisation never fails for it)."""
    team = Team.objects.filter(kind=Team.Kind.DUTY_ASSESSMENT).order_by("name", "pk").first()
    return team or team_get_or_create(name=DEFAULT_DAT_TEAM_NAME, kind=Team.Kind.DUTY_ASSESSMENT)


def strategy_discussion_due(decided: datetime, calendar: WorkingDayCalendar | None = None) -> date:
    """The same working day as the decision; the next working day when it is made on a
    weekend, bank holiday or closure day."""
    calendar = calendar or council_calendar()
    return calendar.next_working_day(decided.astimezone(LONDON).date())


@transaction.atomic
def episode_open_for_referral(
    *,
    actor: Any,
    contact_child: Any,
    strategy_discussion: bool,
    now: datetime | None = None,
    team: Team | None = None,
) -> Episode:
    """Open the child-in-need episode for a child referred at the front door.

    The referral date is the day the contact was received and its source is carried
    over. ``strategy_discussion`` flags a strategy discussion due the same working day.
    Idempotent: a child row already referred keeps its episode. A child with an episode
    already open is referred on that episode (``_referral_joins``), not given a second one.
    """
    existing = Episode.objects.filter(contact_child=contact_child).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    contact = contact_child.contact
    open_episode = (
        Episode.objects.select_for_update()
        .select_related("person")
        .filter(person_id=contact_child.person_id, closed_on__isnull=True)
        .order_by("referral_date", "pk")
        .first()
    )
    if open_episode is not None:
        return _referral_joins(
            open_episode,
            actor=actor,
            contact=contact,
            strategy_discussion=strategy_discussion,
            now=now,
        )
    episode = Episode.objects.create(
        person_id=contact_child.person_id,
        contact_child=contact_child,
        referral_date=contact.received_at.astimezone(LONDON).date(),
        referral_source=contact.source,
        team=team or duty_team(),
        strategy_discussion_required=strategy_discussion,
        strategy_discussion_due=strategy_discussion_due(now) if strategy_discussion else None,
        created_by=actor,
        created_at=now,
    )
    Allocation.objects.create(
        episode=episode, team=episode.team, started_at=now, allocated_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=episode,
        person=contact_child.person,
        section="casework.referral",
        detail={
            "contact": contact.reference,
            "team": episode.team.name,
            "strategy_discussion": strategy_discussion,
        },
    )
    return episode


def _referral_joins(
    episode: Episode, *, actor: Any, contact: Any, strategy_discussion: bool, now: datetime
) -> Episode:
    """A new referral while the child's episode is open is recorded on that episode (the
    census allows no overlapping episodes, rule 8820): it keeps its referral date, the
    new referral is audited on it, and a strategy discussion decided now is flagged
    unless one is already asked for."""
    joined = {"section": "casework.referral", "record_id": str(episode.pk)}
    if AuditEvent.objects.filter(**joined, detail__contact=contact.reference).exists():
        return episode  # this contact's referral was recorded on it already
    if strategy_discussion and not episode.strategy_discussion_required:
        episode.strategy_discussion_required = True
        episode.strategy_discussion_due = strategy_discussion_due(now)
        episode.version += 1
        episode.save(
            update_fields=["strategy_discussion_required", "strategy_discussion_due", "version"]
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        person=episode.person,
        section="casework.referral",
        detail={
            "contact": contact.reference,
            "joined_open_episode": True,
            "referral_date": contact.received_at.astimezone(LONDON).date().isoformat(),
            "source": contact.source,
            "strategy_discussion": strategy_discussion,
        },
    )
    return episode


CONFLICT_MESSAGE = (
    "Someone else changed this child's episode while you were working on it. "
    "Check the latest record, then save again"
)


class EpisodeChangedError(ValidationError):
    """The episode changed after the page the user saved from was shown."""

    def __init__(self) -> None:
        super().__init__(CONFLICT_MESSAGE, code="conflict")


def _today(now: datetime | None) -> date:
    return (now or timezone.now()).astimezone(LONDON).date()


def _locked(episode: Episode, *, version: int | None, open_only: bool = True) -> Episode:
    """The episode locked for this transaction; ``EpisodeChangedError`` when someone has
    changed it since the user's page was shown (of two saves from one version, only the
    first goes through). A closed episode takes no more steps."""
    locked = Episode.objects.select_for_update().select_related("person", "team").get(pk=episode.pk)
    if version is not None and locked.version != version:
        raise EpisodeChangedError()
    if open_only and locked.closed_on is not None:
        raise ValidationError(
            f"The episode was closed on {locked.closed_on:%d/%m/%Y}: record a new referral "
            "to open another"
        )
    return locked


def _changed(episode: Episode) -> None:
    episode.version += 1
    episode.save(update_fields=["version"])


def _require_team(actor: Any, episode: Episode) -> None:
    """Social workers and managers of the episode's team, and its allocated worker, write
    to it; nobody else does."""
    if not getattr(actor, "is_authenticated", False) or not (
        actor.has_role(Role.SOCIAL_WORKER) or actor.has_role(Role.TEAM_MANAGER)
    ):
        raise PermissionDenied("Only social workers and team managers record casework")
    if episode.worker_id != actor.pk and not actor.teams.filter(pk=episode.team_id).exists():
        raise PermissionDenied("Only the episode's team records its casework")


def _require_manager(actor: Any, episode: Episode) -> None:
    if not actor.has_role(Role.TEAM_MANAGER) or not actor.teams.filter(pk=episode.team_id).exists():
        raise PermissionDenied("Only a manager of the episode's team does this")


def _not_future(day: date, field: str, today: date, what: str) -> None:
    if day > today:
        raise ValidationError({field: f"{what} must be today or in the past"})


def _not_before(day: date, floor: date, field: str, message: str) -> None:
    if day < floor:
        raise ValidationError({field: message})


def _audit(
    *,
    actor: Any,
    record: Any,
    episode: Episode,
    section: str,
    detail: dict[str, Any] | None = None,
    action: AuditEvent.Action = AuditEvent.Action.CREATE,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        record=record,
        person=episode.person,
        section=f"casework.{section}",
        detail=detail or {},
    )


# Referrals and allocation ---------------------------------------------------------------


def teams_for_allocation() -> list[Team]:
    """The teams an episode can be held by: duty and assessment, and CIN/CP."""
    return list(
        Team.objects.filter(
            kind__in=[Team.Kind.DUTY_ASSESSMENT, Team.Kind.CIN_CP, Team.Kind.CHILDREN_IN_CARE]
        ).order_by("name", "pk")
    )


@transaction.atomic
def episode_record_referral(
    *,
    actor: Any,
    person: Any,
    referral_date: date,
    source: str,
    team: Team,
    now: datetime | None = None,
) -> Episode:
    """A referral recorded directly in casework (not through the front door): it opens an
    episode for the child, held by ``team``. A child has one open episode at a time."""
    now = now or timezone.now()
    if not actor.has_role(Role.SOCIAL_WORKER) and not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only social workers and team managers record referrals")
    if not actor.teams.filter(pk=team.pk).exists():
        raise ValidationError({"team": "Choose one of your own teams"})
    _not_future(referral_date, "referral_date", _today(now), "The referral date")
    if person.date_of_birth and referral_date < person.date_of_birth:
        raise ValidationError({"referral_date": "The referral date is before the child's birth"})
    open_episode = Episode.objects.filter(person=person, closed_on__isnull=True).first()
    if open_episode is not None:
        raise ValidationError(
            {
                "person": f"{person.full_name} already has an open episode (referred on "
                f"{open_episode.referral_date:%d/%m/%Y}): record the step on it instead"
            }
        )
    episode = Episode.objects.create(
        person=person,
        referral_date=referral_date,
        referral_source=source,
        team=team,
        created_by=actor,
        created_at=now,
    )
    Allocation.objects.create(episode=episode, team=team, started_at=now, allocated_by=actor)
    _audit(
        actor=actor,
        record=episode,
        episode=episode,
        section="referral",
        detail={"team": team.name, "direct": True, "source": source},
    )
    return episode


def allocatable_workers(team: Team) -> list[User]:
    """Social workers in the team, by name."""
    return list(
        team.members.filter(is_active=True, role_assignments__role=Role.SOCIAL_WORKER)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def allocation_choices(current: Team) -> list[tuple[User, Team]]:
    """(worker, team) for allocation: the current team's social workers first, then those
    of the other casework teams (choosing one transfers the episode)."""
    teams = [current, *[t for t in teams_for_allocation() if t.pk != current.pk]]
    seen: set[int] = set()
    choices = []
    for team in teams:
        for worker in allocatable_workers(team):
            if worker.pk not in seen:
                seen.add(worker.pk)
                choices.append((worker, team))
    return choices


@transaction.atomic
def episode_allocate(
    *,
    actor: Any,
    episode: Episode,
    worker: Any,
    team: Team | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> Episode:
    """A manager of the episode's team allocates it to a social worker, in the same team
    or (transferring it) in ``team``. The allocation history keeps every change."""
    if not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers allocate referrals")
    now = now or timezone.now()
    episode = _locked(episode, version=version)
    if not actor.teams.filter(pk=episode.team_id).exists():
        raise PermissionDenied("Only a manager of the team allocates its referrals")
    team = team or episode.team
    if worker is None or worker.pk not in {w.pk for w in allocatable_workers(team)}:
        raise ValidationError({"worker": f"Select a social worker in {team.name}"})
    previous_worker, previous_team = episode.worker_id, episode.team.name
    Allocation.objects.filter(episode=episode, ended_at__isnull=True).update(ended_at=now)
    Allocation.objects.create(
        episode=episode, team=team, worker=worker, started_at=now, allocated_by=actor
    )
    episode.worker, episode.team, episode.allocated_at = worker, team, now
    episode.version += 1
    episode.save(update_fields=["worker", "team", "allocated_at", "version"])
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        episode=episode,
        section="allocation",
        detail={
            "worker": worker.pk,
            "previous_worker": previous_worker,
            "team": team.name,
            "previous_team": previous_team,
        },
    )
    return episode


# Assessment ------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *,
    actor: Any,
    episode: Episode,
    start_date: date,
    version: int | None = None,
    now: datetime | None = None,
) -> Assessment:
    """Start a child and family assessment: due 45 working days after the referral."""
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    _not_future(start_date, "start_date", _today(now), "The start date")
    _not_before(
        start_date,
        episode.referral_date,
        "start_date",
        f"An assessment cannot start before the referral ({episode.referral_date:%d/%m/%Y})",
    )
    if episode.assessments.filter(authorised_on__isnull=True).exists():
        raise ValidationError("The assessment already started has not been authorised yet")
    assessment = Assessment.objects.create(
        episode=episode,
        start_date=start_date,
        due_date=clocks.ASSESSMENT.due_on(episode.referral_date),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(actor=actor, record=assessment, episode=episode, section="assessment")
    return assessment


@transaction.atomic
def episode_primary_need_record(
    *, actor: Any, episode: Episode, primary_need: str, version: int | None = None
) -> Episode:
    """The child's primary need (census N0-N9) before the assessment gives it: the census
    wants one for every referral that leads to further action, including those still being
    assessed on census day (DfE rule 8610). The assessment and closure may change it."""
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    if primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the child's primary need"})
    episode.primary_need = primary_need
    episode.save(update_fields=["primary_need"])
    _changed(episode)
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        episode=episode,
        section="primary_need",
        detail={"primary_need": primary_need},
    )
    return episode


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    assessment: Assessment,
    factors: list[str],
    outcome: str,
    completed_on: date,
    primary_need: str,
    child_views: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Assessment:
    """The assessment's findings: factors (census codes), outcome, the child's views."""
    episode = _locked(assessment.episode, version=version)
    _require_team(actor, episode)
    assessment = Assessment.objects.get(pk=assessment.pk)
    if assessment.authorised_on is not None:
        raise ValidationError("The assessment has been authorised: it can no longer change")
    unknown = [code for code in factors if code not in AssessmentFactor.values]
    if unknown or not factors:
        raise ValidationError({"factors": "Select the factors identified at the assessment"})
    if AssessmentFactor.F21 in factors and len(factors) > 1:
        raise ValidationError(
            {"factors": "'No factors identified' cannot be chosen with other factors"}
        )
    if AssessmentFactor.F21 in factors and outcome != Assessment.Outcome.NO_FURTHER_ACTION:
        raise ValidationError(
            {
                "factors": "'No factors identified' is only for an assessment ending in no further "
                "action"
            }
        )
    if outcome not in Assessment.Outcome.values:
        raise ValidationError({"outcome": "Select the outcome of the assessment"})
    if primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the child's primary need"})
    _not_future(completed_on, "completed_on", _today(now), "The completion date")
    _not_before(
        completed_on,
        assessment.start_date,
        "completed_on",
        f"The assessment cannot be completed before it started ({assessment.start_date:%d/%m/%Y})",
    )
    assessment.factors = list(dict.fromkeys(factors))
    assessment.outcome = outcome
    assessment.completed_on = completed_on
    assessment.child_views = child_views.strip()
    assessment.save(update_fields=["factors", "outcome", "completed_on", "child_views"])
    episode.primary_need = primary_need
    episode.save(update_fields=["primary_need"])
    _changed(episode)
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=assessment,
        episode=episode,
        section="assessment",
        detail={"outcome": outcome, "factors": assessment.factors},
    )
    return assessment


@transaction.atomic
def assessment_authorise(
    *,
    actor: Any,
    assessment: Assessment,
    authorised_on: date,
    rationale: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Assessment:
    """A manager of the team authorises the completed assessment, with a rationale."""
    episode = _locked(assessment.episode, version=version)
    _require_manager(actor, episode)
    assessment = Assessment.objects.get(pk=assessment.pk)
    if assessment.authorised_on is not None:
        raise ValidationError("The assessment has already been authorised")
    if not assessment.outcome or assessment.completed_on is None:
        raise ValidationError(
            "The assessment has no outcome yet: record its findings before authorising it"
        )
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reason for your decision"})
    _not_future(authorised_on, "authorised_on", _today(now), "The authorisation date")
    _not_before(
        authorised_on,
        assessment.start_date,
        "authorised_on",
        f"An assessment cannot be authorised before it began ({assessment.start_date:%d/%m/%Y})",
    )
    _not_before(
        authorised_on,
        assessment.completed_on,
        "authorised_on",
        f"An assessment cannot be authorised before it was completed "
        f"({assessment.completed_on:%d/%m/%Y})",
    )
    assessment.authorised_on = authorised_on
    assessment.authorised_by = actor
    assessment.authorisation_rationale = rationale.strip()
    assessment.save(update_fields=["authorised_on", "authorised_by", "authorisation_rationale"])
    _changed(episode)
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=assessment,
        episode=episode,
        section="assessment.authorisation",
        detail={"authorised_on": authorised_on.isoformat()},
    )
    return assessment


# Visits ------------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    episode: Episode,
    purpose: str,
    visited_on: date,
    child_seen: bool,
    seen_alone: bool,
    child_said: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Visit:
    """A visit to the child, under the step it serves (assessment, enquiry, plan)."""
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    _not_future(visited_on, "visited_on", _today(now), "The visit date")
    if seen_alone and not child_seen:
        raise ValidationError({"seen_alone": "A child not seen cannot have been seen alone"})
    started_by_purpose: dict[str, list[date]] = {
        Visit.Purpose.ASSESSMENT: [a.start_date for a in episode.assessments.all()],
        Visit.Purpose.SECTION_47: [s.start_date for s in episode.section47s.all()],
        Visit.Purpose.CP_PLAN: [
            p.start_date
            for p in episode.cp_plans.all()
            if p.end_date is None or p.end_date >= visited_on
        ],
        Visit.Purpose.CIN_PLAN: [
            p.start_date
            for p in episode.cin_plans.all()
            if p.end_date is None or p.end_date >= visited_on
        ],
    }
    started = started_by_purpose.get(purpose)
    if started is None:
        raise ValidationError({"purpose": "Select what the visit was for"})
    if not any(start <= visited_on for start in started):
        label = Visit.Purpose(purpose).label.lower()
        raise ValidationError(
            {"visited_on": f"There was no {label} under way on that date: record that step first"}
        )
    visit = Visit.objects.create(
        episode=episode,
        purpose=purpose,
        visited_on=visited_on,
        child_seen=child_seen,
        seen_alone=seen_alone and child_seen,
        child_said=child_said.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(
        actor=actor,
        record=visit,
        episode=episode,
        section="visit",
        detail={"purpose": purpose, "seen": child_seen, "seen_alone": visit.seen_alone},
    )
    return visit


# Strategy discussions and section 47 -------------------------------------------------------


@transaction.atomic
def strategy_discussion_record(
    *,
    actor: Any,
    episode: Episode,
    held_on: date,
    police: bool,
    health: bool,
    education: bool,
    social_care: bool,
    decision: str,
    rationale: str,
    version: int | None = None,
    now: datetime | None = None,
) -> StrategyDiscussion:
    """A strategy discussion; deciding on a section 47 enquiry starts it that day, and the
    initial conference's 15 working days run from it."""
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    _not_future(held_on, "held_on", _today(now), "The date of the discussion")
    _not_before(
        held_on,
        episode.referral_date,
        "held_on",
        f"A strategy discussion cannot come before the referral ({episode.referral_date:%d/%m/%Y})",
    )
    if decision not in StrategyDiscussion.Decision.values:
        raise ValidationError({"decision": "Select the decision of the strategy discussion"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reasons for the decision"})
    if not social_care:
        raise ValidationError(
            {"social_care": "Children's social care takes part in every strategy discussion"}
        )
    discussion = StrategyDiscussion.objects.create(
        episode=episode,
        held_on=held_on,
        police_attended=police,
        health_attended=health,
        education_attended=education,
        social_care_attended=social_care,
        decision=decision,
        rationale=rationale.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    if decision == StrategyDiscussion.Decision.SECTION_47:
        if episode.section47s.filter(completed_on__isnull=True).exists():
            raise ValidationError(
                {"decision": "A section 47 enquiry is already under way: record its outcome first"}
            )
        enquiry = Section47.objects.create(
            episode=episode,
            strategy_discussion=discussion,
            start_date=held_on,
            conference_due=clocks.INITIAL_CONFERENCE.due_on(held_on),
            recorded_by=actor,
            recorded_at=discussion.recorded_at,
        )
        _audit(actor=actor, record=enquiry, episode=episode, section="section47")
    _changed(episode)
    _audit(
        actor=actor,
        record=discussion,
        episode=episode,
        section="strategy_discussion",
        detail={
            "decision": decision,
            "police": police,
            "health": health,
            "education": education,
        },
    )
    return discussion


@transaction.atomic
def section47_outcome(
    *,
    actor: Any,
    enquiry: Section47,
    outcome: str,
    completed_on: date,
    not_required_reason: str,
    child_views: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Section47:
    """The enquiry's outcome: an initial conference is needed, or why it is not."""
    episode = _locked(enquiry.episode, version=version)
    _require_team(actor, episode)
    enquiry = Section47.objects.get(pk=enquiry.pk)
    if enquiry.completed_on is not None:
        raise ValidationError("The enquiry's outcome has already been recorded")
    if outcome not in Section47.Outcome.values:
        raise ValidationError({"outcome": "Select the outcome of the enquiry"})
    _not_future(completed_on, "completed_on", _today(now), "The completion date")
    _not_before(
        completed_on,
        enquiry.start_date,
        "completed_on",
        f"The enquiry cannot end before it started ({enquiry.start_date:%d/%m/%Y})",
    )
    needed = outcome == Section47.Outcome.CONFERENCE
    if not needed and not not_required_reason.strip():
        raise ValidationError(
            {"not_required_reason": "Enter why an initial conference is not needed"}
        )
    enquiry.outcome = outcome
    enquiry.completed_on = completed_on
    enquiry.conference_not_required = not needed
    enquiry.conference_not_required_reason = "" if needed else not_required_reason.strip()
    enquiry.child_views = child_views.strip()
    enquiry.save()
    _changed(episode)
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=enquiry,
        episode=episode,
        section="section47",
        detail={"outcome": outcome},
    )
    return enquiry


# Conferences and protection plans ----------------------------------------------------------


@transaction.atomic
def initial_conference_record(
    *,
    actor: Any,
    enquiry: Section47,
    held_on: date,
    plan_made: bool,
    category: str,
    rationale: str,
    child_views: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Conference:
    """The initial conference answering an enquiry; a plan made starts that day (and a
    child-in-need plan under way ends: the child is stepped up)."""
    episode = _locked(enquiry.episode, version=version)
    _require_team(actor, episode)
    enquiry = Section47.objects.select_related("strategy_discussion").get(pk=enquiry.pk)
    if Conference.objects.filter(section47=enquiry).exists():
        raise ValidationError("The enquiry's initial conference has already been recorded")
    if enquiry.conference_not_required:
        raise ValidationError(
            "The enquiry found an initial conference was not needed: no conference can follow it"
        )
    _not_future(held_on, "held_on", _today(now), "The conference date")
    discussion = enquiry.strategy_discussion
    _not_before(
        held_on,
        discussion.held_on,
        "held_on",
        f"A conference cannot come before the strategy discussion that started the enquiry "
        f"({discussion.held_on:%d/%m/%Y})",
    )
    if plan_made and category not in CategoryOfAbuse.values:
        raise ValidationError({"category": "Select the category of abuse for the plan"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reasons for the conference's decision"})
    recorded_at = now or timezone.now()
    conference = Conference.objects.create(
        episode=episode,
        kind=Conference.Kind.INITIAL,
        section47=enquiry,
        due_date=enquiry.conference_due,
        held_on=held_on,
        plan_made=plan_made,
        category=category if plan_made else "",
        decision_rationale=rationale.strip(),
        child_views=child_views.strip(),
        recorded_by=actor,
        recorded_at=recorded_at,
    )
    if enquiry.completed_on is None:
        enquiry.outcome = Section47.Outcome.CONFERENCE
        enquiry.completed_on = held_on
        enquiry.save(update_fields=["outcome", "completed_on"])
    if plan_made:
        if episode.cp_plans.filter(end_date__isnull=True).exists():
            raise ValidationError("The child is already on a protection plan in this episode")
        starts = ChildProtectionPlan.objects.filter(episode__person=episode.person).values_list(
            "start_date", flat=True
        )
        plan = ChildProtectionPlan.objects.create(
            episode=episode,
            start_date=held_on,
            initial_category=category,
            latest_category=category,
            previous_plans=rules.previous_plan_count(starts, held_on),
            recorded_by=actor,
            recorded_at=recorded_at,
        )
        episode.cin_plans.filter(end_date__isnull=True, start_date__lte=held_on).update(
            end_date=held_on, end_reason=CINPlan.EndReason.STEPPED_UP_CP
        )
        _audit(actor=actor, record=plan, episode=episode, section="cp_plan")
    _changed(episode)
    _audit(
        actor=actor,
        record=conference,
        episode=episode,
        section="conference",
        detail={"kind": "initial", "plan_made": plan_made, "category": category},
    )
    return conference


def _open_plan(plan: ChildProtectionPlan) -> ChildProtectionPlan:
    plan = ChildProtectionPlan.objects.get(pk=plan.pk)
    if plan.end_date is not None:
        raise ValidationError(f"The plan ended on {plan.end_date:%d/%m/%Y}")
    return plan


def _plan_meeting_checks(
    *,
    actor: Any,
    plan: PlanT,
    still_open: Callable[[PlanT], PlanT],
    held_on: date,
    what: str,
    too_early: str,
    version: int | None,
    now: datetime | None,
) -> tuple[Episode, PlanT]:
    """Before a meeting on an open plan (a core group, a child-in-need review): the
    episode locked at the version shown, the team's own, the plan still open, and the
    date neither in the future nor before the plan started."""
    episode = _locked(plan.episode, version=version)
    _require_team(actor, episode)
    plan = still_open(plan)
    _not_future(held_on, "held_on", _today(now), what)
    _not_before(held_on, plan.start_date, "held_on", f"{too_early} ({plan.start_date:%d/%m/%Y})")
    return episode, plan


@transaction.atomic
def core_group_record(
    *,
    actor: Any,
    plan: ChildProtectionPlan,
    held_on: date,
    notes: str,
    version: int | None = None,
    now: datetime | None = None,
) -> CoreGroup:
    episode, plan = _plan_meeting_checks(
        actor=actor,
        plan=plan,
        still_open=_open_plan,
        held_on=held_on,
        what="The meeting date",
        too_early="A core group cannot meet before the plan started",
        version=version,
        now=now,
    )
    group = CoreGroup.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(actor=actor, record=group, episode=episode, section="core_group")
    return group


def review_conference_due(plan: ChildProtectionPlan, reviews: list[date]) -> date:
    """The first review within 3 months of the plan's initial conference; then at most
    6 months after the last review."""
    if not reviews:
        return clocks.FIRST_REVIEW_CONFERENCE.due_on(plan.start_date)
    return clocks.REVIEW_CONFERENCE.due_on(max(reviews))


@transaction.atomic
def review_conference_record(
    *,
    actor: Any,
    plan: ChildProtectionPlan,
    held_on: date,
    plan_continues: bool,
    category: str,
    end_reason: str,
    rationale: str,
    child_views: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Conference:
    """A review conference: the plan continues (with its latest category) or ends."""
    episode = _locked(plan.episode, version=version)
    _require_team(actor, episode)
    plan = _open_plan(plan)
    _not_future(held_on, "held_on", _today(now), "The conference date")
    reviews = list(plan.conferences.values_list("held_on", flat=True))
    last = max([plan.start_date, *reviews])
    _not_before(
        held_on,
        last,
        "held_on",
        f"A review conference cannot come before the plan's last conference ({last:%d/%m/%Y})",
    )
    if plan_continues and category not in CategoryOfAbuse.values:
        raise ValidationError({"category": "Select the plan's category of abuse"})
    if not plan_continues and end_reason not in ChildProtectionPlan.EndReason.values:
        raise ValidationError({"end_reason": "Select why the plan ends"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reasons for the conference's decision"})
    conference = Conference.objects.create(
        episode=episode,
        kind=Conference.Kind.REVIEW,
        plan=plan,
        due_date=review_conference_due(plan, reviews),
        held_on=held_on,
        plan_made=plan_continues,
        category=category if plan_continues else "",
        decision_rationale=rationale.strip(),
        child_views=child_views.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    if plan_continues:
        plan.latest_category = category
        plan.save(update_fields=["latest_category"])
    else:
        plan.end_date, plan.end_reason = held_on, end_reason
        plan.save(update_fields=["end_date", "end_reason"])
    _changed(episode)
    _audit(
        actor=actor,
        record=conference,
        episode=episode,
        section="conference",
        detail={"kind": "review", "plan_continues": plan_continues},
    )
    return conference


@transaction.atomic
def cp_plan_end(
    *,
    actor: Any,
    plan: ChildProtectionPlan,
    end_date: date,
    end_reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> ChildProtectionPlan:
    """End a plan outside a review conference (the child came into care, moved, died)."""
    return _plan_end(
        actor=actor,
        plan=plan,
        still_open=_open_plan,
        reasons=ChildProtectionPlan.EndReason.values,
        section="cp_plan",
        end_date=end_date,
        end_reason=end_reason,
        version=version,
        now=now,
    )


def _plan_end(
    *,
    actor: Any,
    plan: PlanT,
    still_open: Callable[[PlanT], PlanT],
    reasons: Sequence[str],
    section: str,
    end_date: date,
    end_reason: str,
    version: int | None,
    now: datetime | None,
) -> PlanT:
    """Ending a protection or child-in-need plan: the same checks, save and audit."""
    episode = _locked(plan.episode, version=version)
    _require_team(actor, episode)
    plan = still_open(plan)
    if end_reason not in reasons:
        raise ValidationError({"end_reason": "Select why the plan ends"})
    _not_future(end_date, "end_date", _today(now), "The end date")
    _not_before(
        end_date,
        plan.start_date,
        "end_date",
        f"A plan cannot end before it started ({plan.start_date:%d/%m/%Y})",
    )
    plan.end_date, plan.end_reason = end_date, end_reason
    plan.save(update_fields=["end_date", "end_reason"])
    _changed(episode)
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=plan,
        episode=episode,
        section=section,
        detail={"ended": end_date.isoformat(), "reason": end_reason},
    )
    return plan


# Child-in-need plans -----------------------------------------------------------------------


@transaction.atomic
def cin_plan_start(
    *,
    actor: Any,
    episode: Episode,
    start_date: date,
    version: int | None = None,
    now: datetime | None = None,
) -> CINPlan:
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    _not_future(start_date, "start_date", _today(now), "The start date")
    _not_before(
        start_date,
        episode.referral_date,
        "start_date",
        f"A plan cannot start before the referral ({episode.referral_date:%d/%m/%Y})",
    )
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        raise ValidationError("The child already has a child-in-need plan under way")
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        raise ValidationError(
            "The child is on a protection plan: end it before starting a child-in-need plan"
        )
    plan = CINPlan.objects.create(
        episode=episode,
        start_date=start_date,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(actor=actor, record=plan, episode=episode, section="cin_plan")
    return plan


def _open_cin_plan(plan: CINPlan) -> CINPlan:
    plan = CINPlan.objects.get(pk=plan.pk)
    if plan.end_date is not None:
        raise ValidationError(f"The plan ended on {plan.end_date:%d/%m/%Y}")
    return plan


@transaction.atomic
def cin_plan_review_record(
    *,
    actor: Any,
    plan: CINPlan,
    held_on: date,
    notes: str,
    child_views: str,
    version: int | None = None,
    now: datetime | None = None,
) -> CINPlanReview:
    episode, plan = _plan_meeting_checks(
        actor=actor,
        plan=plan,
        still_open=_open_cin_plan,
        held_on=held_on,
        what="The review date",
        too_early="A review cannot come before the plan started",
        version=version,
        now=now,
    )
    review = CINPlanReview.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        notes=notes.strip(),
        child_views=child_views.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(actor=actor, record=review, episode=episode, section="cin_plan_review")
    return review


@transaction.atomic
def cin_plan_end(
    *,
    actor: Any,
    plan: CINPlan,
    end_date: date,
    end_reason: str,
    version: int | None = None,
    now: datetime | None = None,
) -> CINPlan:
    return _plan_end(
        actor=actor,
        plan=plan,
        still_open=_open_cin_plan,
        reasons=CINPlan.EndReason.values,
        section="cin_plan",
        end_date=end_date,
        end_reason=end_reason,
        version=version,
        now=now,
    )


# Emergency protection ----------------------------------------------------------------------


@transaction.atomic
def emergency_protection_record(
    *,
    actor: Any,
    episode: Episode,
    kind: str,
    start_date: date,
    end_date: date | None,
    details: str,
    version: int | None = None,
    now: datetime | None = None,
) -> EmergencyProtection:
    episode = _locked(episode, version=version)
    _require_team(actor, episode)
    if kind not in EmergencyProtection.Kind.values:
        raise ValidationError({"kind": "Select police protection or an emergency protection order"})
    today = _today(now)
    _not_future(start_date, "start_date", today, "The start date")
    if end_date is not None:
        _not_before(
            end_date,
            start_date,
            "end_date",
            "Emergency protection cannot end before it started",
        )
    record = EmergencyProtection.objects.create(
        episode=episode,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        details=details.strip(),
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(
        actor=actor,
        record=record,
        episode=episode,
        section="emergency_protection",
        detail={"kind": kind},
    )
    return record


# Panel and closure -------------------------------------------------------------------------


@transaction.atomic
def panel_review_record(
    *,
    actor: Any,
    episode: Episode,
    held_on: date,
    decision: str,
    actions: str,
    reasons: list[str],
    version: int | None = None,
    now: datetime | None = None,
) -> PanelReview:
    """The children in need panel's decision on one child, with the actions agreed."""
    episode = _locked(episode, version=version)
    if not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers record the panel's decisions")
    _not_future(held_on, "held_on", _today(now), "The panel date")
    if decision not in PanelReview.Decision.values:
        raise ValidationError({"decision": "Select the panel's decision"})
    if not actions.strip():
        raise ValidationError({"actions": "Enter the actions the panel agreed"})
    review = PanelReview.objects.create(
        episode=episode,
        held_on=held_on,
        decision=decision,
        actions=actions.strip(),
        reasons=reasons,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    _changed(episode)
    _audit(
        actor=actor, record=review, episode=episode, section="panel", detail={"decision": decision}
    )
    return review


def last_step_date(episode: Episode) -> date:
    """The latest dated step in the episode: it cannot close before it."""
    days = [episode.referral_date]
    days += [
        d
        for a in episode.assessments.all()
        for d in (a.start_date, a.completed_on, a.authorised_on)
        if d
    ]
    days += [s.held_on for s in episode.strategy_discussions.all()]
    days += [d for s in episode.section47s.all() for d in (s.start_date, s.completed_on) if d]
    days += [c.held_on for c in episode.conferences.all()]
    days += [d for p in episode.cp_plans.all() for d in (p.start_date, p.end_date) if d]
    days += [d for p in episode.cin_plans.all() for d in (p.start_date, p.end_date) if d]
    days += [v.visited_on for v in episode.visits.all()]
    return max(days)


def referral_went_no_further(episode: Episode, reason: str) -> bool:
    """The census's ReferralNFA (and Annex A List 3's "Referral NFA?"): closed with no
    further action (RC8) and nothing done beyond the referral, no assessment and no
    enquiry. RC8 after an assessment is "closed after assessment", not an NFA referral."""
    return (
        reason == ReasonForClosure.RC8
        and not episode.assessments.exists()
        and not episode.section47s.exists()
    )


@transaction.atomic
def episode_close(
    *,
    actor: Any,
    episode: Episode,
    closed_on: date,
    reason: str,
    primary_need: str,
    rationale: str,
    version: int | None = None,
    now: datetime | None = None,
) -> Episode:
    """A manager closes the episode with its census reason (RC1-RC9) and primary need.
    Plans must have ended and assessments been authorised first."""
    episode = _locked(episode, version=version)
    _require_manager(actor, episode)
    if reason not in ReasonForClosure.values:
        raise ValidationError({"reason": "Select the reason for closing the episode"})
    if primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the child's primary need"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter the reason for your decision"})
    _not_future(closed_on, "closed_on", _today(now), "The closure date")
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        raise ValidationError("The child is still on a protection plan: end the plan first")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        raise ValidationError("The child is still on a child-in-need plan: end the plan first")
    if episode.assessments.filter(authorised_on__isnull=True).exists():
        raise ValidationError("An assessment has not been authorised: authorise it first")
    if episode.section47s.filter(completed_on__isnull=True).exists():
        raise ValidationError("A section 47 enquiry has no outcome: record it first")
    assessments = list(episode.assessments.values_list("factors", flat=True))
    if (
        len(assessments) == 1
        and AssessmentFactor.F21 in assessments[0]
        and reason != ReasonForClosure.RC8
    ):
        # DfE census rule 8873.
        raise ValidationError(
            {
                "reason": "The assessment found no factors ('No factors identified'): close "
                "with RC8, case closed after assessment with no further action"
            }
        )
    last = last_step_date(episode)
    _not_before(
        closed_on,
        last,
        "closed_on",
        f"The episode cannot close before its last recorded step ({last:%d/%m/%Y})",
    )
    episode.closed_on = closed_on
    episode.closure_reason = reason
    episode.primary_need = primary_need
    episode.referral_nfa = referral_went_no_further(episode, reason)
    episode.closure_rationale = rationale.strip()
    episode.closed_by = actor
    episode.version += 1
    episode.save(
        update_fields=[
            "closed_on",
            "closure_reason",
            "primary_need",
            "referral_nfa",
            "closure_rationale",
            "closed_by",
            "version",
        ]
    )
    Allocation.objects.filter(episode=episode, ended_at__isnull=True).update(
        ended_at=now or timezone.now()
    )
    _audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        episode=episode,
        section="closure",
        detail={"reason": reason, "primary_need": primary_need},
    )
    return episode
