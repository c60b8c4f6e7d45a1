"""Reads for the LADO. Every read of LADO records goes through ``referrals_visible_to``:
LADO officers and the named senior managers (a live ``LadoAccessGrant``) see every record,
a partner sees the referrals their own organisation submitted (status only, in the portal),
and everyone else sees none. Opening a record writes its audit event before anything is
shown."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.core.clocks import LADO_INITIAL_CONSIDERATION, Rag, describe_time_left
from evident.core.working_days import council_calendar
from evident.lado.models import (
    LadoAccessGrant,
    LadoChild,
    LadoConsideration,
    LadoReferral,
)
from evident.people.matching import Candidate, name_evidence

SECTION = "lado"


def _active_council_user(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.works_for_council
    )


# Who may be named in a LADO access grant: the council's managers, never other staff.
GRANTABLE_ROLES = frozenset({Role.LEADER, Role.TEAM_MANAGER})


def lado_can_read(user: Any) -> bool:
    """A LADO officer, or a senior manager named in a live grant."""
    if not _active_council_user(user):
        return False
    if Role.LADO in user.roles:
        return True
    if not GRANTABLE_ROLES & user.roles:
        return False  # only managers are ever named: no need to ask the database
    # Asked several times a request (navigation, the page); kept on the request's user
    # object, which lives only as long as the request.
    known = getattr(user, "_lado_granted", None)
    if known is None:
        known = LadoAccessGrant.objects.filter(user=user, revoked_at__isnull=True).exists()
        user._lado_granted = known
    return bool(known)


def lado_access_forget(user: Any) -> None:
    """After a grant changes: the next ``lado_can_read`` asks the database again."""
    user.__dict__.pop("_lado_granted", None)


def lado_can_write(user: Any) -> bool:
    return _active_council_user(user) and Role.LADO in user.roles


def referrals_visible_to(user: Any) -> QuerySet[LadoReferral]:
    if lado_can_read(user):
        return LadoReferral.objects.all()
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and Role.PARTNER in user.roles
        and not user.works_for_council
        and user.organisation_id is not None
    ):
        return LadoReferral.objects.filter(submitting_organisation_id=user.organisation_id)
    return LadoReferral.objects.none()


def _council_scope(user: Any) -> QuerySet[LadoReferral]:
    # Council pages never use a partner's scope, even for a misconfigured account.
    return referrals_visible_to(user) if lado_can_read(user) else LadoReferral.objects.none()


def referral_get_for_user(*, user: Any, referral_id: Any) -> LadoReferral:
    """The record, or 404 when malformed, unknown or out of scope (one answer for all)."""
    try:
        pk = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404("No such record") from exc
    referral = (
        _council_scope(user)
        .select_related("consideration", "recorded_by", "submitting_organisation")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such record")
    return referral


def referral_open(*, user: Any, referral_id: Any, section: str, path: str = "") -> LadoReferral:
    """Read a record for a page: audited (one VIEW event) before it is returned."""
    referral = referral_get_for_user(user=user, referral_id=referral_id)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            record=referral,
            section=section,
            path=path,
            detail={"reference": referral.reference},
        )
    return referral


def partner_referral_get(*, user: Any, referral_id: Any) -> LadoReferral:
    """A partner's own organisation's referral (audited), or 404."""
    if lado_can_read(user):  # council users use the council pages
        raise Http404("No such referral")
    try:
        pk = uuid.UUID(str(referral_id))
    except (TypeError, ValueError) as exc:
        raise Http404("No such referral") from exc
    referral = referrals_visible_to(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("No such referral")
    with transaction.atomic():  # a partner's look at the status is a read, too
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            record=referral,
            section="lado portal status",
            detail={"reference": referral.reference},
        )
    return referral


# -- Status and timeliness ------------------------------------------------------------------


def status_label(referral: LadoReferral) -> str:
    """The stage in plain words (also what a partner sees)."""
    consideration = _consideration(referral)
    if referral.outcome:
        return "Concluded"
    if consideration is None:
        return "Received, awaiting the LADO's consideration"
    if consideration.decision == LadoConsideration.Decision.ADVICE:
        return "Closed: advice given"
    if consideration.decision == LadoConsideration.Decision.NOT_MET:
        return "Closed: the harm test was not met"
    return "Under the allegations management process"


def _consideration(referral: LadoReferral) -> LadoConsideration | None:
    try:
        return referral.consideration
    except LadoConsideration.DoesNotExist:
        return None


@dataclass(frozen=True)
class Timeliness:
    due_at: datetime
    considered_at: datetime | None
    working_days_to_consideration: int | None
    working_days_to_first_meeting: int | None
    days_to_conclusion: int | None
    days_open: int
    rag: Rag | None  # only while the consideration is awaited
    time_left: str
    open_band: str  # "", "over 1 month", "over 3 months", "over 12 months"

    @property
    def consideration_late(self) -> bool:
        if self.considered_at is None:
            return self.rag == Rag.RED
        return self.considered_at > self.due_at


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def open_band(months: int) -> str:
    if months >= 12:
        return "over 12 months"
    if months >= 3:
        return "over 3 months"
    if months >= 1:
        return "over 1 month"
    return ""


_LOOK_UP: Any = object()


def timeliness(
    referral: LadoReferral, *, now: datetime | None = None, first_meeting: Any = _LOOK_UP
) -> Timeliness:
    """The record's clocks. Pass ``first_meeting`` (a date, or None for no meeting) when
    the meetings are already loaded, to save a query per record in lists."""
    now = now or timezone.now()
    cal = council_calendar()
    received = timezone.localtime(referral.received_at).date()
    due_at = LADO_INITIAL_CONSIDERATION.due_at(referral.received_at, cal)
    consideration = _consideration(referral)
    considered_at = consideration.decided_at if consideration else None
    if first_meeting is _LOOK_UP:
        meeting = referral.meetings.order_by("held_on").first()
        first_meeting = meeting.held_on if meeting else None
    end = referral.concluded_on or (
        timezone.localtime(referral.closed_at).date() if referral.closed_at else None
    )
    today = timezone.localtime(now).date()
    months_open = months_between(received, end or today)
    return Timeliness(
        due_at=due_at,
        considered_at=considered_at,
        working_days_to_consideration=(
            cal.working_days_between(received, timezone.localtime(considered_at).date())
            if considered_at
            else None
        ),
        working_days_to_first_meeting=(
            cal.working_days_between(received, first_meeting) if first_meeting else None
        ),
        days_to_conclusion=(referral.concluded_on - received).days
        if referral.concluded_on
        else None,
        days_open=((end or today) - received).days,
        rag=(
            None
            if considered_at
            else LADO_INITIAL_CONSIDERATION.rag(referral.received_at, due_at, now)
        ),
        time_left="" if considered_at else describe_time_left(due_at, now),
        open_band="" if end else open_band(months_open),
    )


# -- The work tray ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrayRow:
    referral: LadoReferral
    status: str
    timeliness: Timeliness


TRAY_STAGES = {
    "awaiting": "Awaiting consideration",
    "management": "Allegations management",
}


def tray_rows(
    *,
    user: Any,
    stage: str = "",
    sector: str = "",
    rag: str = "",
    band: str = "",
    now: datetime | None = None,
) -> list[TrayRow]:
    """Open records (not closed), oldest first, with their clocks. Audited as one listing."""
    now = now or timezone.now()
    qs = (
        _council_scope(user)
        .filter(closed_at__isnull=True)
        .select_related("consideration")
        .prefetch_related("meetings")
        .order_by("received_at")
    )
    if stage == "awaiting":
        qs = qs.filter(consideration__isnull=True)
    elif stage == "management":
        qs = qs.filter(consideration__isnull=False)
    if sector:
        qs = qs.filter(sector=sector)
    rows = []
    for referral in qs:
        meetings = sorted(referral.meetings.all(), key=lambda m: m.held_on)
        t = timeliness(referral, now=now, first_meeting=meetings[0].held_on if meetings else None)
        if rag and (t.rag is None or t.rag.value != rag):
            continue
        if band and t.open_band != band:
            continue
        rows.append(TrayRow(referral=referral, status=status_label(referral), timeliness=t))
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEvent.Action.SEARCH,
            record_type="lado.ladoreferral",
            section="lado tray",
            detail={"shown": [row.referral.reference for row in rows][:500]},
        )
    return rows


# -- Repeat concerns ----------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatConcern:
    referral: LadoReferral
    evidence: list[str] = field(default_factory=list)
    score: int = 0


DOB_POINTS = 30
DOB_DIFFERENT = -20  # both known and different: a namesake, not the same adult
EMPLOYER_POINTS = 15
REPEAT_THRESHOLD = 35  # a name that sounds alike plus a date of birth or an employer


def _employer_key(employer: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in employer.upper()).split()
    noise = {"THE", "LTD", "LIMITED", "SCHOOL", "ACADEMY", "PRIMARY", "SECONDARY", "CLUB"}
    return " ".join(w for w in words if w not in noise) or " ".join(words)


def repeat_concern_score(new: LadoReferral, other: LadoReferral) -> RepeatConcern:
    """How strongly an earlier record seems to be about the same adult (pure)."""
    evidence = name_evidence(
        f"{new.adult_first_name} {new.adult_last_name}",
        Candidate(
            first_name=other.adult_first_name,
            last_name=other.adult_last_name,
            date_of_birth=other.adult_date_of_birth,
            is_child=False,
        ),
    )
    labels = [e.label for e in evidence]
    points = sum(e.points for e in evidence)
    if new.adult_date_of_birth and new.adult_date_of_birth == other.adult_date_of_birth:
        labels.append("Date of birth matches")
        points += DOB_POINTS
    elif new.adult_date_of_birth and other.adult_date_of_birth:
        points += DOB_DIFFERENT
    if _employer_key(new.employer) and _employer_key(new.employer) == _employer_key(other.employer):
        labels.append(f"Same employer ({other.employer})")
        points += EMPLOYER_POINTS
    return RepeatConcern(referral=other, evidence=labels, score=points)


def repeat_concerns(*, user: Any, referral: LadoReferral) -> list[RepeatConcern]:
    """Earlier or later records that may be about the same adult, best first.

    Blocks by index on the phonetic surname key or the date of birth, then scores with
    the people app's name evidence (nicknames, sound-alikes, similar spellings).
    """
    block = Q(adult_last_name_key=referral.adult_last_name_key) & ~Q(adult_last_name_key="")
    if referral.adult_date_of_birth:
        block |= Q(adult_date_of_birth=referral.adult_date_of_birth)
    candidates = _council_scope(user).filter(block).exclude(pk=referral.pk)[:500]
    found = [repeat_concern_score(referral, other) for other in candidates]
    return sorted(
        (f for f in found if f.score >= REPEAT_THRESHOLD),
        key=lambda f: (-f.score, f.referral.received_at),
    )


# -- The child's record ---------------------------------------------------------------------


def lado_involvement(*, person: Any) -> bool:
    """Whether any LADO record names this child (the only fact other users are told)."""
    return LadoChild.objects.filter(person=person).exists()


def lado_records_for_child(*, user: Any, person: Any) -> list[LadoReferral]:
    if not lado_can_read(user):
        return []
    return list(_council_scope(user).filter(children__person=person).distinct())


# -- Retention ------------------------------------------------------------------------------


def retention_due(*, user: Any, on: date | None = None) -> QuerySet[LadoReferral]:
    on = on or timezone.localdate()
    return (
        _council_scope(user)
        .filter(review_on__isnull=False, review_on__lte=on)
        .order_by("review_on")
    )


def retention_upcoming(*, user: Any) -> QuerySet[LadoReferral]:
    return _council_scope(user).filter(review_on__isnull=False).order_by("review_on")


def meeting_kinds_done(referral: LadoReferral) -> set[str]:
    return set(referral.meetings.values_list("kind", flat=True))


def grants() -> QuerySet[LadoAccessGrant]:
    return LadoAccessGrant.objects.select_related("user", "granted_by", "revoked_by")
