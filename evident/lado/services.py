"""Writes for the LADO: each step is atomic and audited, and steps out of order are refused
with a message that says why (a meeting before the initial consideration, an outcome on a
record the LADO has not considered, a second outcome)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.lado import retention, selectors
from evident.lado.models import (
    FollowOn,
    LadoAccessGrant,
    LadoAction,
    LadoAttendee,
    LadoChild,
    LadoConsideration,
    LadoMeeting,
    LadoReferral,
    LadoRetentionRule,
    Outcome,
)

SECTION = "lado"
LIMBS = ("harmed_child", "possible_offence", "behaviour_risk", "unsuitability")


@dataclass(frozen=True)
class ChildInvolved:
    name: str
    date_of_birth: date | None = None
    person_id: Any = None


@dataclass(frozen=True)
class Attendee:
    name: str
    agency: str


@dataclass(frozen=True)
class ActionPlanned:
    action_type: str
    owner: str
    description: str = ""
    due_on: date | None = None


def _audit(actor: Any, action: AuditEvent.Action, referral: LadoReferral, what: str) -> None:
    # person=None on purpose: a child's "who viewed" page must not reveal LADO involvement.
    audit_record(
        actor=actor,
        action=action,
        record=referral,
        section=SECTION,
        detail={"reference": referral.reference, "what": what},
    )


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def next_reference(year: int) -> str:
    prefix = f"LADO-{year}-"
    last = (
        LadoReferral.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def referral_record(
    *,
    actor: Any,
    received_at: datetime,
    source: str,
    kind: str = LadoReferral.Kind.REFERRAL,
    adult_first_name: str,
    adult_last_name: str,
    adult_date_of_birth: date | None,
    adult_role: str,
    employer: str,
    sector: str,
    regulated_activity: str,
    category: str,
    allegation: str,
    incident_on: date | None = None,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_contact: str = "",
    children: Sequence[ChildInvolved] = (),
    submitted_by: Any = None,
    submitting_organisation: Any = None,
) -> LadoReferral:
    """A new referral or advice contact, with the children involved."""
    now = timezone.now()
    errors: dict[str, str] = {}
    if received_at > now:
        errors["received_at"] = "The date received must be today or in the past"
    if adult_date_of_birth and adult_date_of_birth >= _local_date(received_at):
        errors["adult_date_of_birth"] = "The adult's date of birth must be in the past"
    if incident_on and incident_on > _local_date(received_at):
        errors["incident_on"] = "The date of the incident must be on or before the date received"
    if not allegation.strip():
        errors["allegation"] = "Enter what is alleged"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    referral = LadoReferral.objects.create(
                        reference=next_reference(_local_date(received_at).year),
                        kind=kind,
                        received_at=received_at,
                        source=source,
                        referrer_name=referrer_name,
                        referrer_organisation=referrer_organisation,
                        referrer_contact=referrer_contact,
                        adult_first_name=adult_first_name.strip(),
                        adult_last_name=adult_last_name.strip(),
                        adult_date_of_birth=adult_date_of_birth,
                        adult_role=adult_role.strip(),
                        employer=employer.strip(),
                        sector=sector,
                        regulated_activity=regulated_activity,
                        category=category,
                        allegation=allegation.strip(),
                        incident_on=incident_on,
                        recorded_by=None if submitted_by else actor,
                        submitted_by=submitted_by,
                        submitting_organisation=submitting_organisation,
                    )
                break
            except IntegrityError:  # two referrals took the same number; take the next
                continue
        else:  # pragma: no cover
            raise ValidationError("The referral could not be numbered; try again")
        LadoChild.objects.bulk_create(
            LadoChild(
                referral=referral,
                person_id=child.person_id,
                name=child.name.strip(),
                date_of_birth=child.date_of_birth,
            )
            for child in children
            if child.name.strip()
        )
        _audit(actor, AuditEvent.Action.CREATE, referral, "referral")
    return referral


def _rule_for(applies_to: str) -> tuple[str, int]:
    rule = LadoRetentionRule.objects.filter(applies_to=applies_to).first()
    if rule is not None:
        return rule.basis, rule.years
    return retention.DEFAULT_RULES[applies_to]


def _set_review_date(referral: LadoReferral, *, applies_to: str, closed_on: date) -> None:
    basis, years = _rule_for(applies_to)
    referral.review_on = retention.review_date(
        basis=basis, years=years, closed_on=closed_on, date_of_birth=referral.adult_date_of_birth
    )


def _locked(referral: LadoReferral) -> LadoReferral:
    return LadoReferral.objects.select_for_update().get(pk=referral.pk)


def consideration_record(
    *,
    actor: Any,
    referral: LadoReferral,
    decision: str,
    limbs: Iterable[str],
    rationale: str,
    decided_at: datetime | None = None,
) -> LadoConsideration:
    """The initial consideration. Advice only and not met close the record."""
    decided_at = decided_at or timezone.now()
    limbs = set(limbs)
    errors: dict[str, str] = {}
    unknown = limbs - set(LIMBS)
    if unknown:
        errors["limbs"] = "Choose only the limbs of the harm test listed"
    if decision == LadoConsideration.Decision.MET and not limbs:
        errors["limbs"] = "Select which limbs of the harm test are met"
    if decision != LadoConsideration.Decision.MET and limbs:
        errors["limbs"] = "Limbs of the harm test are only recorded when the test is met"
    if decision not in LadoConsideration.Decision.values:
        errors["decision"] = "Select the decision"
    if not rationale.strip():
        errors["rationale"] = "Enter the rationale for the decision"
    if decided_at < referral.received_at:
        errors["decided_at"] = "The decision cannot be before the referral was received"
    if decided_at > timezone.now():
        errors["decided_at"] = "The decision cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = _locked(referral)
        if LadoConsideration.objects.filter(referral=referral).exists():
            raise ValidationError("The initial consideration has already been recorded")
        consideration = LadoConsideration.objects.create(
            referral=referral,
            decision=decision,
            rationale=rationale.strip(),
            decided_at=decided_at,
            decided_by=actor,
            **{limb: limb in limbs for limb in LIMBS},
        )
        if decision != LadoConsideration.Decision.MET:
            referral.closed_at = decided_at
            _set_review_date(referral, applies_to=decision, closed_on=_local_date(decided_at))
            referral.save(update_fields=["closed_at", "review_on"])
        _audit(actor, AuditEvent.Action.UPDATE, referral, "initial consideration")
    return consideration


def _require_management(referral: LadoReferral, doing: str) -> None:
    consideration = LadoConsideration.objects.filter(referral=referral).first()
    if consideration is None:
        raise ValidationError(
            f"Record the initial consideration before {doing}: the referral has not been "
            "considered yet"
        )
    if consideration.decision != LadoConsideration.Decision.MET:
        raise ValidationError(
            f"The harm test was not met ({consideration.get_decision_display().lower()}), "
            f"so there is no {doing.replace('recording ', '')}"
        )
    if referral.outcome:
        raise ValidationError(f"The allegation is concluded; {doing} is no longer possible")


def meeting_record(
    *,
    actor: Any,
    referral: LadoReferral,
    kind: str,
    held_on: date,
    decisions: str,
    attendees: Sequence[Attendee],
    actions: Sequence[ActionPlanned] = (),
) -> LadoMeeting:
    errors: dict[str, str] = {}
    if held_on < _local_date(referral.received_at):
        errors["held_on"] = "The meeting cannot be before the referral was received"
    if held_on > timezone.localdate():
        errors["held_on"] = "The meeting date must be today or in the past"
    if not attendees:
        errors["attendees"] = "Enter who attended and their agency"
    if not decisions.strip():
        errors["decisions"] = "Enter the decisions made"
    with transaction.atomic():
        referral = _locked(referral)
        _require_management(referral, "recording a meeting")
        had_initial = referral.meetings.filter(kind=LadoMeeting.Kind.INITIAL).exists()
        if kind == LadoMeeting.Kind.REVIEW and not had_initial:
            errors["kind"] = "A review meeting follows an allegations management meeting"
        if kind == LadoMeeting.Kind.INITIAL and had_initial:
            errors["kind"] = "The allegations management meeting is recorded; add a review"
        if errors:
            raise ValidationError(errors)
        meeting = LadoMeeting.objects.create(
            referral=referral,
            kind=kind,
            held_on=held_on,
            decisions=decisions.strip(),
            recorded_by=actor,
        )
        LadoAttendee.objects.bulk_create(
            LadoAttendee(meeting=meeting, name=a.name, agency=a.agency) for a in attendees
        )
        LadoAction.objects.bulk_create(
            LadoAction(
                referral=referral,
                meeting=meeting,
                action_type=a.action_type,
                owner=a.owner,
                description=a.description,
                due_on=a.due_on,
            )
            for a in actions
        )
        _audit(actor, AuditEvent.Action.UPDATE, referral, f"meeting {meeting.pk}")
    return meeting


def action_complete(*, actor: Any, action: LadoAction, done_on: date) -> LadoAction:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date done must be today or in the past"})
    if done_on < _local_date(action.referral.received_at):
        raise ValidationError({"done_on": "The date done cannot be before the referral"})
    with transaction.atomic():
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        _audit(actor, AuditEvent.Action.UPDATE, action.referral, f"action {action.pk} done")
    return action


def outcome_record(
    *,
    actor: Any,
    referral: LadoReferral,
    outcome: str,
    concluded_on: date,
    followed_by: Iterable[str],
    notes: str = "",
) -> LadoReferral:
    followed = list(dict.fromkeys(followed_by))
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Select the outcome"
    if set(followed) - set(FollowOn.values):
        errors["followed_by"] = "Choose only what is listed"
    if FollowOn.NO_FURTHER_ACTION in followed and len(followed) > 1:
        errors["followed_by"] = "No further action cannot be chosen with other actions"
    if concluded_on > timezone.localdate():
        errors["concluded_on"] = "The date concluded must be today or in the past"
    with transaction.atomic():
        referral = _locked(referral)
        _require_management(referral, "recording the outcome")
        consideration = referral.consideration
        if concluded_on < _local_date(consideration.decided_at):
            errors["concluded_on"] = "The allegation cannot conclude before it was considered"
        last_meeting = referral.meetings.order_by("-held_on").first()
        if last_meeting and concluded_on < last_meeting.held_on:
            errors["concluded_on"] = "The allegation cannot conclude before its last meeting"
        if errors:
            raise ValidationError(errors)
        referral.outcome = outcome
        referral.concluded_on = concluded_on
        referral.followed_by = followed
        referral.outcome_notes = notes.strip()
        referral.closed_at = timezone.now()
        _set_review_date(referral, applies_to=outcome, closed_on=concluded_on)
        referral.save(
            update_fields=[
                "outcome",
                "concluded_on",
                "followed_by",
                "outcome_notes",
                "closed_at",
                "review_on",
            ]
        )
        _audit(actor, AuditEvent.Action.UPDATE, referral, "outcome")
    return referral


def legal_hold_set(*, actor: Any, referral: LadoReferral, hold: bool, reason: str) -> LadoReferral:
    """Place or lift a legal hold; while held the record is never destroyed."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason"})
    with transaction.atomic():
        referral = _locked(referral)
        referral.legal_hold = hold
        referral.legal_hold_reason = reason.strip()
        referral.legal_hold_by = actor
        referral.legal_hold_at = timezone.now()
        referral.save(
            update_fields=["legal_hold", "legal_hold_reason", "legal_hold_by", "legal_hold_at"]
        )
        _audit(actor, AuditEvent.Action.UPDATE, referral, "legal hold " + ("on" if hold else "off"))
    return referral


def retention_rules_ensure() -> None:
    """Seed the council's rule table with security.md's typical periods (once)."""
    for applies_to, (basis, years) in retention.DEFAULT_RULES.items():
        LadoRetentionRule.objects.get_or_create(
            applies_to=applies_to, defaults={"basis": basis, "years": years}
        )


def retention_rule_update(*, actor: Any, rule: LadoRetentionRule, basis: str, years: int) -> None:
    if years < 1 or years > 150:
        raise ValidationError({"years": "Years must be between 1 and 150"})
    with transaction.atomic():
        rule.basis = basis
        rule.years = years
        rule.save(update_fields=["basis", "years"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=rule,
            section=SECTION,
            detail={"basis": basis, "years": years},
        )


def grant_add(*, actor: Any, user: Any, reason: str) -> LadoAccessGrant:
    """Name a senior manager who may read LADO records."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why this manager needs access to LADO records"
    if user is not None and (not user.works_for_council or Role.PARTNER in user.roles):
        errors["user"] = "Only council staff can be given access to LADO records"
    elif user is not None and not selectors.GRANTABLE_ROLES & user.roles:
        errors["user"] = "Only senior leaders and team managers can be named for LADO access"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if LadoAccessGrant.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise ValidationError({"user": f"{user.get_full_name()} already has access"})
        grant = LadoAccessGrant.objects.create(user=user, reason=reason.strip(), granted_by=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            record=grant,
            section=SECTION,
            detail={"user": user.get_username()},
        )
    selectors.lado_access_forget(user)
    return grant


def grant_revoke(*, actor: Any, grant: LadoAccessGrant) -> None:
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=grant,
            section=SECTION,
            detail={"revoked": grant.user.get_username()},
        )
    selectors.lado_access_forget(grant.user)
