"""Writes for inspection and improvement. Each validates, changes state in one transaction
and writes an audit event in it (nothing half-saved, nothing unrecorded)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.core.working_days import add_working_days
from evident.inspection import rules
from evident.inspection.models import (
    Action,
    Activity,
    AnnexAFreeze,
    Board,
    ChecklistItem,
    ChecklistTemplateItem,
    Document,
    Evidence,
    Finding,
    IndicatorTarget,
    IssuedPack,
    Judgement,
    Meeting,
    MeetingAction,
    PlanSettings,
    Priority,
    ProgressUpdate,
    SelfEvaluation,
    SelfEvaluationVersion,
)
from evident.inspection.selectors import citations_frozen
from evident.performance.annex_a.services import annex_a_export
from evident.performance.indicators.registry import indicator_get
from evident.performance.periods import local_date

DEFAULT_CHECKLIST = (
    ("Annex A produced and checked", "Head of performance", 0),
    ("Self-evaluation current and shared", "Director of children's services", 1),
    ("Lists of children for case sampling ready", "Head of performance", 1),
    ("Staff, partners and members briefed", "Assistant director", 2),
    ("Rooms and IT access for inspectors", "Business support manager", 3),
)


def _today() -> date:
    return local_date(timezone.now())


def _audit(actor: Any, action: AuditEvent.Action, record: Any, **detail: Any) -> None:
    audit_record(actor=actor, action=action, record=record, detail=detail or None)


# --- Activities


def _check_activity_dates(
    *,
    kind: str,
    starts_on: date,
    ends_on: date | None,
    notified_on: date | None,
    published_on: date | None,
) -> None:
    errors: dict[str, str] = {}
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "The last day must be on or after the first day"
    if notified_on is not None and notified_on > starts_on:
        errors["notified_on"] = "The notification must be on or before the first day on site"
    if published_on is not None and published_on < starts_on:
        errors["published_on"] = "The letter or report cannot be published before the activity"
    if kind in Activity.GRADED_KINDS:
        try:
            rules.framework_on(starts_on)
        except ValueError as exc:
            errors["starts_on"] = str(exc)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    notified_on: date | None = None,
    theme: str = "",
    partner_inspectorates: str = "",
    inspectors: str = "",
    outcome: str = "",
    published_on: date | None = None,
) -> Activity:
    if kind not in Activity.Kind.values:
        raise ValidationError({"kind": "Choose a kind of activity"})
    if kind == Activity.Kind.JTAI and not partner_inspectorates.strip():
        raise ValidationError({"partner_inspectorates": "Name the partner inspectorates"})
    if kind in (Activity.Kind.FOCUSED_VISIT, Activity.Kind.JTAI) and not theme.strip():
        raise ValidationError({"theme": "Give the theme of the visit or inspection"})
    _check_activity_dates(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        notified_on=notified_on,
        published_on=published_on,
    )
    activity = Activity.objects.create(
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        notified_on=notified_on,
        theme=theme.strip(),
        partner_inspectorates=partner_inspectorates.strip(),
        inspectors=inspectors.strip(),
        outcome=outcome.strip(),
        published_on=published_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, activity, kind=kind)
    return activity


def checklist_template_items() -> list[ChecklistTemplateItem]:
    """The council's template; the defaults the first time it is asked for."""
    items = list(ChecklistTemplateItem.objects.filter(active=True))
    if not items and not ChecklistTemplateItem.objects.exists():
        for position, (title, owner, days) in enumerate(DEFAULT_CHECKLIST):
            ChecklistTemplateItem.objects.create(
                title=title, owner=owner, due_working_days=days, position=position
            )
        items = list(ChecklistTemplateItem.objects.filter(active=True))
    return items


@transaction.atomic
def notification_record(
    *,
    actor: Any,
    kind: str,
    notified_on: date,
    theme: str = "",
    partner_inspectorates: str = "",
    starts_on: date | None = None,
    now: datetime | None = None,
) -> Activity:
    """Notification day: the activity with its on-site start (notice in working days unless
    Ofsted gave another date), the readiness checklist from the council's template, and the
    Annex A frozen as given to inspectors."""
    if kind not in (Activity.Kind.SHORT, Activity.Kind.STANDARD, Activity.Kind.JTAI):
        raise ValidationError({"kind": "Notification is for short, standard and JTAI visits"})
    starts_on = starts_on or rules.onsite_start_after_notice(kind=kind, notified_on=notified_on)
    activity = activity_create(
        actor=actor,
        kind=kind,
        starts_on=starts_on,
        notified_on=notified_on,
        theme=theme,
        partner_inspectorates=partner_inspectorates,
    )
    for position, item in enumerate(checklist_template_items()):
        ChecklistItem.objects.create(
            activity=activity,
            title=item.title,
            owner=item.owner,
            due_on=min(add_working_days(notified_on, item.due_working_days), starts_on),
            position=position,
        )
    annex_a_freeze(actor=actor, activity=activity, now=now)
    return activity


@transaction.atomic
def annex_a_freeze(*, actor: Any, activity: Activity, now: datetime | None = None) -> AnnexAFreeze:
    """Generate the Annex A workbook as of notification day and keep its exact bytes."""
    if AnnexAFreeze.objects.filter(activity=activity).exists():
        raise ValidationError("The Annex A for this activity is already frozen; it never changes")
    if activity.notified_on is None:
        raise ValidationError("Record the notification first: the Annex A is as of that day")
    buffer = io.BytesIO()
    result = annex_a_export(
        actor=actor,
        as_of=activity.notified_on,
        out=buffer,
        path=f"inspection/activities/{activity.pk}/annex-a",
        detail={"frozen_for_activity": activity.pk},
    )
    content = buffer.getvalue()
    freeze = AnnexAFreeze.objects.create(
        activity=activity,
        as_of=activity.notified_on,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        rows=result.rows,
        made_at=now or timezone.now(),
        made_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, freeze, sha256=freeze.sha256)
    return freeze


@transaction.atomic
def checklist_item_tick(*, actor: Any, item: ChecklistItem, done: bool) -> ChecklistItem:
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["done_at", "done_by"])
    _audit(actor, AuditEvent.Action.UPDATE, item, done=done)
    return item


@transaction.atomic
def checklist_template_item_add(
    *, actor: Any, title: str, owner: str, due_working_days: int
) -> ChecklistTemplateItem:
    checklist_template_items()  # keep the defaults if this is the first change
    position = (ChecklistTemplateItem.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    item = ChecklistTemplateItem.objects.create(
        title=title.strip(),
        owner=owner.strip(),
        due_working_days=due_working_days,
        position=position,
    )
    _audit(actor, AuditEvent.Action.CREATE, item)
    return item


@transaction.atomic
def checklist_template_item_remove(*, actor: Any, item: ChecklistTemplateItem) -> None:
    item.active = False
    item.save(update_fields=["active"])
    _audit(actor, AuditEvent.Action.UPDATE, item, active=False)


# --- Documents


@transaction.atomic
def document_upload(
    *, actor: Any, title: str, filename: str, content: bytes, activity: Activity | None = None
) -> Document:
    """Keep a PDF, Word file or image, told by its bytes; anything else is refused."""
    if not content:
        raise ValidationError({"file": "The selected file is empty"})
    if len(content) > rules.MAX_UPLOAD_BYTES:
        limit = rules.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The selected file must be smaller than {limit} MB"})
    kind = rules.sniff(content)
    if kind is None:
        raise ValidationError({"file": "The selected file must be a PDF, Word document or image"})
    stem = "".join(c for c in filename.rsplit(".", 1)[0] if c.isalnum() or c in "-_ ")[:80]
    document = Document.objects.create(
        activity=activity,
        title=title.strip() or stem or "Document",
        filename=f"{(stem or 'document').strip()}.{kind.extension}",
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, document, content_type=kind.content_type)
    return document


# --- Findings


def _check_findings(
    *, activity: Activity, published_on: date | None, given: Mapping[str, int]
) -> None:
    errors: dict[str, str] = {}
    if published_on is not None and published_on < activity.starts_on:
        errors["published_on"] = (
            "The report cannot be dated before the inspection started "
            f"({activity.starts_on:%d %B %Y})"
        )
    if published_on is not None and published_on > _today():
        errors["published_on"] = "The report date cannot be in the future"
    if given and not activity.is_graded:
        errors["__all__"] = f"A {activity.get_kind_display().lower()} has no graded judgements"
    if activity.is_graded and given:
        allowed = {a.value for a in rules.areas_graded_on(activity.starts_on)}
        for area, grade in given.items():
            if area not in allowed:
                errors[f"judgement_{area}"] = (
                    f"{rules.Area(area).label} was not graded on "
                    f"{activity.starts_on:%d %B %Y} ({rules.framework_on(activity.starts_on).name})"
                )
            elif grade not in rules.GRADES:
                errors[f"judgement_{area}"] = "Choose a grade from 1 to 4"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def findings_record(
    *,
    actor: Any,
    activity: Activity,
    published_on: date | None,
    judgements: Mapping[str, int],
    findings: Iterable[tuple[str, str]] = (),
    outcome: str = "",
    inspectors: str = "",
) -> Activity:
    """The letter or report: its date, judgements (graded inspections only, on the areas
    of the framework in force on the first day on site), and its findings."""
    given = {area: grade for area, grade in judgements.items() if grade}
    _check_findings(activity=activity, published_on=published_on, given=given)
    activity.published_on = published_on
    if outcome:
        activity.outcome = outcome.strip()
    if inspectors:
        activity.inspectors = inspectors.strip()
    activity.save(update_fields=["published_on", "outcome", "inspectors"])
    for area, grade in given.items():
        Judgement.objects.update_or_create(activity=activity, area=area, defaults={"grade": grade})
    for kind, text in findings:
        if text.strip():
            if kind not in Finding.Kind.values:
                raise ValidationError({"kind": "Choose a kind of finding"})
            if kind == Finding.Kind.PRIORITY_ACTION and activity.kind not in Activity.PLAN_KINDS:
                raise ValidationError({"kind": "Only visits and inspections set priority actions"})
            Finding.objects.create(activity=activity, kind=kind, text=text.strip())
    _audit(actor, AuditEvent.Action.UPDATE, activity, judgements=given)
    return activity


# --- The improvement plan


@transaction.atomic
def priority_create(*, actor: Any, title: str, findings: Iterable[Finding] = ()) -> Priority:
    if not title.strip():
        raise ValidationError({"title": "Enter the priority"})
    position = (Priority.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    priority = Priority.objects.create(title=title.strip(), position=position)
    priority.findings.set(list(findings))
    _audit(actor, AuditEvent.Action.CREATE, priority)
    return priority


@transaction.atomic
def action_create(
    *,
    actor: Any,
    priority: Priority,
    title: str,
    owner: str,
    set_on: date,
    due_on: date,
    findings: Iterable[Finding] = (),
) -> Action:
    if due_on < set_on:
        raise ValidationError({"due_on": "The due date must be on or after the date it was set"})
    action = Action.objects.create(
        priority=priority, title=title.strip(), owner=owner.strip(), set_on=set_on, due_on=due_on
    )
    action.findings.set(list(findings))
    _audit(actor, AuditEvent.Action.CREATE, action)
    return action


@transaction.atomic
def action_update(
    *,
    actor: Any,
    action: Action,
    status: str,
    due_on: date,
    completed_on: date | None,
    rag_override: str,
    rag_override_reason: str,
) -> Action:
    errors: dict[str, str] = {}
    if due_on < action.set_on:
        errors["due_on"] = "The due date must be on or after the date it was set"
    if status == Action.Status.DONE and completed_on is None:
        errors["completed_on"] = "Enter the date the action was completed"
    if completed_on is not None and completed_on < action.set_on:
        errors["completed_on"] = "The action cannot be completed before it was set"
    if completed_on is not None and completed_on > _today():
        errors["completed_on"] = "The completion date cannot be in the future"
    if rag_override and not rag_override_reason.strip():
        errors["rag_override_reason"] = "Give the reason for overriding the suggested rating"
    if errors:
        raise ValidationError(errors)
    before = {"status": action.status, "rag_override": action.rag_override}
    action.status = status
    action.due_on = due_on
    action.completed_on = completed_on if status == Action.Status.DONE else None
    action.rag_override = rag_override
    action.rag_override_reason = rag_override_reason.strip() if rag_override else ""
    action.save()
    _audit(actor, AuditEvent.Action.UPDATE, action, before=before, status=status, rag=rag_override)
    return action


@transaction.atomic
def progress_update_add(
    *, actor: Any, action: Action, written_on: date, text: str
) -> ProgressUpdate:
    if written_on < action.set_on:
        raise ValidationError({"written_on": "An update cannot be dated before the action was set"})
    if written_on > _today():
        raise ValidationError({"written_on": "An update cannot be dated in the future"})
    if not text.strip():
        raise ValidationError({"text": "Enter the progress update"})
    update = ProgressUpdate.objects.create(
        action=action,
        written_on=written_on,
        text=text.strip(),
        written_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, update)
    return update


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    action: Action,
    indicator_code: str = "",
    document: Document | None = None,
    note: str = "",
) -> Evidence:
    if indicator_code and indicator_get(indicator_code) is None:
        raise ValidationError({"indicator_code": "Choose an indicator from the list"})
    if not (indicator_code or document or note.strip()):
        raise ValidationError("Choose an indicator, a document or describe the record")
    evidence = Evidence.objects.create(
        action=action, indicator_code=indicator_code, document=document, note=note.strip()
    )
    _audit(actor, AuditEvent.Action.CREATE, evidence)
    return evidence


@transaction.atomic
def plan_publish(*, actor: Any, published: bool) -> PlanSettings:
    plan, _ = PlanSettings.objects.get_or_create(pk=1)
    plan.published_on = _today() if published else None
    plan.save()
    _audit(actor, AuditEvent.Action.UPDATE, plan, published=published)
    return plan


# --- Targets


@transaction.atomic
def target_save(
    *,
    actor: Any,
    indicator_code: str,
    target: Decimal,
    tolerance: Decimal,
    england: Decimal | None,
    england_source: str = "",
) -> IndicatorTarget:
    if indicator_get(indicator_code) is None:
        raise ValidationError({"indicator_code": "Choose an indicator from the list"})
    for name, value in (("target", target), ("england", england)):
        if value is not None and not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({name: "Enter a percentage from 0 to 100"})
    if tolerance < 0:
        raise ValidationError({"tolerance": "The tolerance cannot be negative"})
    saved, _ = IndicatorTarget.objects.update_or_create(
        indicator_code=indicator_code,
        defaults={
            "target": target,
            "tolerance": tolerance,
            "england": england,
            "england_source": england_source.strip(),
        },
    )
    _audit(actor, AuditEvent.Action.UPDATE, saved, target=str(target))
    return saved


# --- Boards


@transaction.atomic
def board_create(*, actor: Any, name: str, kind: str, chair: str = "") -> Board:
    if Board.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": "There is already a board with this name"})
    board = Board.objects.create(name=name.strip(), kind=kind, chair=chair.strip())
    _audit(actor, AuditEvent.Action.CREATE, board)
    return board


@transaction.atomic
def meeting_save(
    *,
    actor: Any,
    board: Board,
    held_on: date,
    agenda: str = "",
    attendance: str = "",
    decisions: str = "",
    meeting: Meeting | None = None,
) -> Meeting:
    meeting = meeting or Meeting(board=board)
    meeting.held_on = held_on
    meeting.agenda = agenda.strip()
    meeting.attendance = attendance.strip()
    meeting.decisions = decisions.strip()
    created = meeting.pk is None
    if not created and meeting.board_actions.filter(due_on__lt=held_on).exists():
        raise ValidationError(
            {"held_on": "An action set at this meeting is due before that date: change it first"}
        )
    meeting.save()
    _audit(actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, meeting)
    return meeting


@transaction.atomic
def meeting_action_add(
    *, actor: Any, meeting: Meeting, text: str, owner: str, due_on: date
) -> MeetingAction:
    """An action the board set at ``meeting``: it stays in the board's log until done."""
    if due_on < meeting.held_on:
        raise ValidationError(
            {
                "due_on": f"The action cannot be due before the meeting that set it ({meeting.held_on:%d/%m/%Y})"
            }
        )
    action = MeetingAction.objects.create(
        meeting=meeting, text=text.strip(), owner=owner.strip(), due_on=due_on
    )
    _audit(actor, AuditEvent.Action.CREATE, action, meeting=meeting.pk)
    return action


@transaction.atomic
def meeting_action_done(
    *, actor: Any, action: MeetingAction, done_on: date, note: str = ""
) -> MeetingAction:
    """Record a board action as done (once: a later meeting reads the date it was done)."""
    action = MeetingAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError(
            f"This action was already recorded as done on {action.done_on:%d/%m/%Y}"
        )
    if done_on > _today():
        raise ValidationError({"done_on": "The date done cannot be in the future"})
    if done_on < action.meeting.held_on:
        raise ValidationError(
            {
                "done_on": f"The date done cannot be before the meeting that set it ({action.meeting.held_on:%d/%m/%Y})"
            }
        )
    action.done_on = done_on
    action.done_note = note.strip()
    action.save(update_fields=["done_on", "done_note"])
    _audit(actor, AuditEvent.Action.UPDATE, action, done_on=done_on.isoformat())
    return action


@transaction.atomic
def pack_issue(
    *, actor: Any, meeting: Meeting, content: bytes, now: datetime | None = None
) -> IssuedPack:
    """Keep the exact board pack PDF issued to a meeting, with its hash: the record of what
    the board read, whatever the live figures do afterwards. Re-issuing keeps both."""
    if not content.startswith(b"%PDF-"):
        raise ValidationError("The board pack to issue is not a PDF")
    pack = IssuedPack.objects.create(
        meeting=meeting,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        made_at=now or timezone.now(),
        made_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, pack, meeting=meeting.pk, sha256=pack.sha256)
    return pack


# --- Self-evaluation


@transaction.atomic
def self_evaluation_save(
    *, actor: Any, year: int, sections: Mapping[str, Mapping[str, str]]
) -> SelfEvaluationVersion:
    """Save a new version (every earlier one is kept as it was)."""
    if not 2018 <= year <= _today().year + 1:
        raise ValidationError({"year": "Enter a year from 2018 to next year"})
    evaluation, _ = SelfEvaluation.objects.get_or_create(year=year)
    last = evaluation.versions.aggregate(m=Max("number"))["m"] or 0
    version = SelfEvaluationVersion.objects.create(
        self_evaluation=evaluation,
        number=last + 1,
        sections={a: dict(q) for a, q in sections.items()},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, version, number=version.number)
    return version


@transaction.atomic
def self_evaluation_share(
    *, actor: Any, version: SelfEvaluationVersion, shared_on: date
) -> SelfEvaluationVersion:
    if version.shared_with_ofsted_on is not None:
        raise ValidationError("This version was already shared with Ofsted; it is frozen")
    if shared_on > _today():
        raise ValidationError({"shared_on": "The date shared cannot be in the future"})
    version.shared_with_ofsted_on = shared_on
    version.cited = citations_frozen(
        text for answers in version.sections.values() for text in answers.values()
    )
    version.save(update_fields=["shared_with_ofsted_on", "cited"])
    _audit(actor, AuditEvent.Action.UPDATE, version, shared_on=shared_on.isoformat())
    return version
