"""What a contact's authorised decisions carry on into: a referral opens a casework
episode, early help opens an early-help episode, and the referrer is told the outcome.

Called by ``contact_authorise`` inside its transaction, so the decision and what it
starts are saved together or not at all. The email goes only after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from evident.accounts.models import Organisation, Team
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.casework.models import Episode
from evident.casework.services import episode_open_for_referral
from evident.core.clocks import LONDON
from evident.front_door.models import Contact, ContactChild, Decision, EarlyHelpEpisode

EARLY_HELP_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)
REFERRAL_OUTCOMES = frozenset({Decision.Outcome.REFERRAL, Decision.Outcome.STRATEGY_DISCUSSION})
DEFAULT_EARLY_HELP_ORGANISATION = "Early help service"

# What each decision means, in words fit for an email (which leaves the system): no
# child's name, no detail of the concern.
REFERRER_OUTCOME_WORDS: dict[str, str] = {
    Decision.Outcome.NO_FURTHER_ACTION: "Children's social care will not take further action.",
    Decision.Outcome.INFORMATION_AND_ADVICE: (
        "The family will be given information and advice; children's social care will not "
        "take further action."
    ),
    Decision.Outcome.EARLY_HELP: "The family will be offered early help support.",
    Decision.Outcome.REFERRAL: (
        "Children's social care have accepted a referral and will assess the child's needs."
    ),
    Decision.Outcome.STRATEGY_DISCUSSION: (
        "Children's social care are holding a strategy discussion with partner agencies and "
        "may contact you for information."
    ),
}


def early_help_organisation() -> str:
    """Who completes the early help assessment unless someone says otherwise: the
    council's early help team, else the council."""
    team = Team.objects.filter(kind=Team.Kind.EARLY_HELP).order_by("name", "pk").first()
    if team is not None:
        return team.name
    council = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("pk").first()
    return f"{council.name} early help" if council is not None else DEFAULT_EARLY_HELP_ORGANISATION


def decision_carry_on(
    *, actor: Any, contact: Contact, row: ContactChild, decision: Decision, now: datetime
) -> None:
    """Start what an authorised decision leads to (the caller holds the transaction)."""
    row.contact = contact
    if decision.outcome in REFERRAL_OUTCOMES:
        episode_open_for_referral(
            actor=actor,
            contact_child=row,
            strategy_discussion=decision.outcome == Decision.Outcome.STRATEGY_DISCUSSION,
            now=now,
        )
    elif decision.outcome == Decision.Outcome.EARLY_HELP:
        early_help_open(actor=actor, contact=contact, row=row, now=now)


def early_help_open(
    *, actor: Any, contact: Contact, row: ContactChild, now: datetime
) -> EarlyHelpEpisode:
    """Open early help for the child; the assessment starts the day it is authorised
    (a practitioner corrects the date when it starts later)."""
    existing = EarlyHelpEpisode.objects.filter(contact_child=row).first()
    if existing is not None:
        return existing
    episode = EarlyHelpEpisode.objects.create(
        person_id=row.person_id,
        contact_child=row,
        assessment_start_date=now.astimezone(LONDON).date(),
        organisation_completing=early_help_organisation(),
        created_by=actor,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=episode,
        person=row.person,
        section="front_door.early_help",
        detail={"contact": contact.reference},
    )
    return episode


def early_help_problems(
    *,
    start: date | None,
    completion: date | None,
    ended: date | None,
    organisation: str,
    today: date,
) -> dict[str, str]:
    """What stops early help dates being saved, by field."""
    problems: dict[str, str] = {}
    if start is None:
        problems["assessment_start_date"] = "Enter the date the assessment started"
    elif start > today:
        problems["assessment_start_date"] = "The assessment start date must be today or earlier"
    if completion is not None:
        if completion > today:
            problems["assessment_completion_date"] = (
                "The assessment completion date must be today or earlier"
            )
        elif start is not None and completion < start:
            problems["assessment_completion_date"] = (
                "The assessment completion date must be on or after the start date"
            )
    if ended is not None:
        if ended > today:
            problems["ended_on"] = "The date early help ended must be today or earlier"
        elif start is not None and ended < start:
            problems["ended_on"] = "The date early help ended must be on or after the start date"
    if not organisation.strip():
        problems["organisation_completing"] = "Enter the organisation completing the assessment"
    return problems


@transaction.atomic
def early_help_update(
    *,
    actor: Any,
    episode: EarlyHelpEpisode,
    changes: Mapping[str, Any],
    now: datetime | None = None,
) -> EarlyHelpEpisode:
    """Change an early-help episode's dates, organisation and lead professional.

    ``changes`` holds ``assessment_start_date``, ``assessment_completion_date``,
    ``ended_on``, ``organisation_completing`` and ``lead_professional``. Raises
    ``ValidationError`` by field and saves nothing when they cannot be saved.
    """
    if not actor.has_role(*EARLY_HELP_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers update early help")
    now = now or timezone.now()
    episode = (
        EarlyHelpEpisode.objects.select_for_update().select_related("person").get(pk=episode.pk)
    )
    start = _date_or_none(changes.get("assessment_start_date"))
    completion = _date_or_none(changes.get("assessment_completion_date"))
    ended = _date_or_none(changes.get("ended_on"))
    organisation = str(changes.get("organisation_completing") or "").strip()
    values: dict[str, Any] = {
        "assessment_start_date": start,
        "assessment_completion_date": completion,
        "ended_on": ended,
        "organisation_completing": organisation,
        "lead_professional": str(changes.get("lead_professional") or "").strip(),
    }
    problems = early_help_problems(
        start=start,
        completion=completion,
        ended=ended,
        organisation=organisation,
        today=now.astimezone(LONDON).date(),
    )
    if problems:
        raise ValidationError(problems)
    changed = {
        name: {"from": _plain(getattr(episode, name)), "to": _plain(value)}
        for name, value in values.items()
        if getattr(episode, name) != value
    }
    if changed:
        for name, value in values.items():
            setattr(episode, name, value)
        episode.save(update_fields=list(values))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=episode,
            person=episode.person,
            section="front_door.early_help",
            detail={"changed": changed},
        )
    return episode


def _date_or_none(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# Telling the referrer ----------------------------------------------------------------------


def referrer_should_be_told(contact: Contact) -> bool:
    """Referrers outside the portal who left an email address (portal users get their own
    email and see the outcome in the portal)."""
    return contact.submitted_by_id is None and bool(contact.referrer_email.strip())


def referrer_email_text(*, reference: str, outcomes: list[str]) -> tuple[str, str]:
    """(subject, body) of the outcome email: the reference and what was decided, never a
    child's name or the concern."""
    words = [REFERRER_OUTCOME_WORDS[outcome] for outcome in dict.fromkeys(outcomes)]
    body = "\n".join(
        [
            "Thank you for contacting children's services.",
            "",
            f"Your contact {reference} has been looked at and a decision made:",
            "",
            *(f"- {line}" for line in words),
            "",
            "Please quote the reference if you get in touch about it. If you are worried "
            "that a child is at immediate risk, call 999.",
        ]
    )
    return f"Your contact {reference}: outcome", body


def referrer_tell(*, contact_id: uuid.UUID, now: datetime | None = None) -> bool:
    """Email the referrer the outcome (called after the decision is committed) and record
    that it was sent. Sent once: a contact already told is left alone."""
    contact = Contact.objects.filter(pk=contact_id, referrer_told_at__isnull=True).first()
    if contact is None or not referrer_should_be_told(contact):
        return False
    outcomes = list(
        ContactChild.objects.filter(contact=contact, decision__status=Decision.Status.AUTHORISED)
        .order_by("id")
        .values_list("decision__outcome", flat=True)
    )
    if not outcomes:
        return False
    subject, body = referrer_email_text(reference=contact.reference, outcomes=outcomes)
    send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=[contact.referrer_email.strip()],
    )
    # Only a contact still untold is marked, so two senders never both record it.
    Contact.objects.filter(pk=contact.pk, referrer_told_at__isnull=True).update(
        referrer_told_at=now or timezone.now()
    )
    return True


# Reads ----------------------------------------------------------------------------------------


def contact_carried_on(contact: Contact) -> list[ContactChild]:
    """The children on the contact whose decision opened a referral or early help, with
    them loaded (``row.episode`` or ``row.early_help``); a referral recorded on the child's
    episode already open is loaded as ``row.joined_episode``. Callers audit the children."""
    referred = models.Q(
        decision__status=Decision.Status.AUTHORISED, decision__outcome__in=REFERRAL_OUTCOMES
    )
    rows = (
        ContactChild.objects.filter(contact=contact)
        .filter(models.Q(episode__isnull=False) | models.Q(early_help__isnull=False) | referred)
        .select_related("person", "episode__team", "episode__worker", "early_help")
        .order_by("id")
    )
    carried = []
    for row in rows:
        if not (_has(row, "episode") or _has(row, "early_help")):
            joined = _episode_joined(row, contact)
            if joined is None:
                continue
            row.joined_episode = joined  # type: ignore[attr-defined]  # read by the template
        carried.append(row)
    return carried


def _episode_joined(row: ContactChild, contact: Contact) -> Episode | None:
    """The episode that was open for the child when the contact came in (the referral
    was recorded on it, ``episode_open_for_referral``)."""
    day = contact.received_at.astimezone(LONDON).date()
    return (
        Episode.objects.filter(person_id=row.person_id, referral_date__lte=day)
        .filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day))
        .select_related("team", "worker")
        .order_by("-referral_date", "pk")
        .first()
    )


def _has(row: ContactChild, name: str) -> bool:
    return getattr(row, name, None) is not None
