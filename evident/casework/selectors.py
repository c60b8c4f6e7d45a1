"""Reads for casework: whose referrals a user sees, and the duty team's tray."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from evident.accounts.roles import Role
from evident.audit.services import audit_people_read
from evident.casework.models import Episode

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
