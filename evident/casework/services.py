"""Writes for casework: opening the episode a referral starts, and allocating it.

The front door calls ``episode_open_for_referral`` inside its own authorisation
transaction; casework never imports the front door's services.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from evident.accounts.models import Team, User
from evident.accounts.roles import Role
from evident.accounts.services import team_get_or_create
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.casework.models import Episode
from evident.core.clocks import LONDON
from evident.core.working_days import WorkingDayCalendar, council_calendar

# Used only when the council has no duty and assessment team set up yet.
DEFAULT_DAT_TEAM_NAME = "Duty and Assessment"


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
    Idempotent: a child row already referred keeps its episode.
    """
    existing = Episode.objects.filter(contact_child=contact_child).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    contact = contact_child.contact
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


def allocatable_workers(team: Team) -> list[User]:
    """Social workers in the team, by name."""
    return list(
        team.members.filter(is_active=True, role_assignments__role=Role.SOCIAL_WORKER)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def episode_allocate(
    *, actor: Any, episode: Episode, worker: Any, now: datetime | None = None
) -> Episode:
    """A manager of the episode's team allocates it to one of the team's social workers
    (or reallocates it)."""
    if not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers allocate referrals")
    episode = (
        Episode.objects.select_for_update().select_related("person", "team").get(pk=episode.pk)
    )
    if not actor.teams.filter(pk=episode.team_id).exists():
        raise PermissionDenied("Only a manager of the team allocates its referrals")
    if worker is None or worker.pk not in {w.pk for w in allocatable_workers(episode.team)}:
        raise ValidationError({"worker": "Select a social worker in the team"})
    if episode.closed_on is not None:
        raise ValidationError("The episode has been closed")
    previous = episode.worker_id
    episode.worker = worker
    episode.allocated_at = now or timezone.now()
    episode.save(update_fields=["worker", "allocated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=episode,
        person=episode.person,
        section="casework.allocation",
        detail={"worker": worker.pk, "previous_worker": previous, "team": episode.team.name},
    )
    return episode
