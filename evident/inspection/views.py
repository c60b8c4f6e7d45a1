"""Inspection and improvement pages. Thin: policy, form, service or selector, render.

Senior leaders edit; analysts read; board and elected members see the boards, their packs
and the plan once it is published - nothing else (no child's record anywhere here)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.inspection import exports, forms, rules, selectors, services
from evident.inspection.models import (
    Action,
    Activity,
    AnnexAFreeze,
    Board,
    ChecklistItem,
    ChecklistTemplateItem,
    Document,
    IssuedPack,
    Meeting,
    MeetingAction,
    Priority,
    SelfEvaluation,
    SelfEvaluationVersion,
)
from evident.performance.annex_a.writer import XLSX_CONTENT_TYPE
from evident.performance.indicators.registry import indicator_get, indicator_list
from evident.performance.periods import local_date

EDITORS = (Role.LEADER,)
READERS = (Role.LEADER, Role.ANALYST)
BOARD = (Role.LEADER, Role.ANALYST, Role.BOARD_MEMBER)


def _get(model: Any, pk: int) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found


def _is_editor(request: HttpRequest) -> bool:
    return bool(request.user.has_role(*EDITORS))  # type: ignore[union-attr]


def _audited_attachment(
    request: HttpRequest,
    record: Any,
    content: bytes,
    *,
    section: str,
    content_type: str,
    filename: str,
    action: AuditEvent.Action = AuditEvent.Action.EXPORT,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """Serve a file as a download, recording who took it (every file here is sensitive)."""
    audit_record(
        actor=request.user,
        action=action,
        record=record,
        section=section,
        path=request.path,
        detail=detail,
    )
    return _attachment(content, content_type=content_type, filename=filename)


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _today() -> date:
    return local_date(timezone.now())


# --- The timeline and activities


@allow(*READERS)
@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    activities = list(selectors.activities())
    today = _today()
    return render(
        request,
        "inspection/timeline.html",
        {
            "activities": activities,
            "window": selectors.next_window(),
            "deadlines": selectors.plan_deadlines(),
            "upcoming": [a for a in activities if a.notified_on and a.starts_on > today],
            "today": today,
            "can_edit": _is_editor(request),
        },
    )


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{activity} recorded")
            return redirect("inspection:activity", pk=activity.pk)
    return render(
        request,
        "inspection/form_page.html",
        {"form": form, "title": "Record an activity", "button": "Save"},
    )


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def notification_new(request: HttpRequest) -> HttpResponse:
    form = forms.NotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.notification_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                "Notification recorded: the checklist is ready and the Annex A is frozen",
            )
            return redirect("inspection:activity", pk=activity.pk)
    return render(request, "inspection/notification_new.html", {"form": form})


@allow(*READERS)
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity: Activity = _get(Activity, pk)
    framework = rules.framework_on(activity.starts_on) if activity.is_graded else None
    freeze = AnnexAFreeze.objects.filter(activity=activity).defer("content").first()
    return render(
        request,
        "inspection/activity.html",
        {
            "activity": activity,
            "framework": framework,
            "judgements": activity.judgements.all(),
            "findings": activity.findings.all(),
            "checklist": activity.checklist.select_related("done_by"),
            "countdown": selectors.countdown(activity),
            "freeze": freeze,
            "documents": activity.documents.defer("content"),
            "document_form": forms.DocumentForm(),
            "today": _today(),
            "can_edit": _is_editor(request),
        },
    )


@allow(*EDITORS)
@require_POST
def checklist_tick(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = ChecklistItem.objects.filter(pk=item_pk, activity_id=pk).first()
    if item is None:
        raise Http404("No such checklist item")
    services.checklist_item_tick(
        actor=request.user, item=item, done=request.POST.get("done") == "1"
    )
    return redirect(reverse("inspection:activity", args=[pk]) + "#checklist")


@allow(*EDITORS)
@require_POST
def annex_a_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    activity: Activity = _get(Activity, pk)
    try:
        freeze = services.annex_a_freeze(actor=request.user, activity=activity)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Annex A frozen (SHA-256 {freeze.sha256[:12]}…)")
    return redirect("inspection:activity", pk=pk)


@allow(*READERS)
@require_GET
def annex_a_download(request: HttpRequest, pk: int) -> HttpResponse:
    freeze = AnnexAFreeze.objects.filter(activity_id=pk).first()
    if freeze is None:
        raise Http404("No frozen Annex A")
    return _audited_attachment(
        request,
        freeze,
        bytes(freeze.content),
        section="Frozen Annex A",
        detail={"sha256": freeze.sha256},
        content_type=XLSX_CONTENT_TYPE,
        filename=f"annex-a-{freeze.as_of:%Y-%m-%d}-frozen.xlsx",
    )


@allow(*EDITORS)
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity: Activity = _get(Activity, pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > rules.MAX_UPLOAD_BYTES:
            form.add_error("file", "The selected file must be smaller than 10 MB")
        else:
            try:
                services.document_upload(
                    actor=request.user,
                    activity=activity,
                    title=form.cleaned_data["title"],
                    filename=upload.name or "",
                    content=upload.read(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Document uploaded")
                return redirect("inspection:activity", pk=pk)
    return render(
        request,
        "inspection/form_page.html",
        {
            "form": form,
            "title": f"Upload a document: {activity}",
            "button": "Upload",
            "multipart": True,
        },
        status=400,
    )


@allow(*READERS)
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document: Document = _get(Document, pk)
    return _audited_attachment(
        request,
        document,
        bytes(document.content),
        section="Inspection document",
        action=AuditEvent.Action.VIEW,
        content_type=document.content_type,
        filename=document.filename,
    )


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def findings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity: Activity = _get(Activity, pk)
    form = forms.FindingsForm(
        request.POST or None,
        activity=activity,
        initial={
            "published_on": activity.published_on,
            "inspectors": activity.inspectors,
            "outcome": activity.outcome,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.findings_record(
                actor=request.user,
                activity=activity,
                published_on=form.cleaned_data["published_on"],
                judgements=form.judgements(),
                findings=form.findings(),
                outcome=form.cleaned_data["outcome"],
                inspectors=form.cleaned_data["inspectors"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Findings recorded")
            return redirect("inspection:activity", pk=pk)
    framework = rules.framework_on(activity.starts_on) if activity.is_graded else None
    return render(
        request,
        "inspection/findings.html",
        {"form": form, "activity": activity, "framework": framework},
    )


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def checklist_template(request: HttpRequest) -> HttpResponse:
    form = forms.ChecklistTemplateItemForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove and remove.isdigit():
            item = ChecklistTemplateItem.objects.filter(pk=int(remove), active=True).first()
            if item is None:
                raise Http404("No such item")
            services.checklist_template_item_remove(actor=request.user, item=item)
            messages.success(request, "Item removed from the checklist")
            return redirect("inspection:checklist_template")
        if form.is_valid():
            services.checklist_template_item_add(actor=request.user, **form.cleaned_data)
            messages.success(request, "Item added to the checklist")
            return redirect("inspection:checklist_template")
    return render(
        request,
        "inspection/checklist_template.html",
        {"form": form, "items": services.checklist_template_items()},
    )


# --- The improvement plan


def _plan_visible(request: HttpRequest) -> None:
    """Board members see the plan only once it is published."""
    user: Any = request.user
    if not user.has_role(Role.LEADER, Role.ANALYST) and selectors.plan_published_on() is None:
        raise PermissionDenied("The improvement plan has not been published yet")


@allow(*BOARD)
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    _plan_visible(request)
    priorities = selectors.plan()
    return render(
        request,
        "inspection/plan.html",
        {
            "priorities": priorities,
            "summary": selectors.rag_summary(a for p in priorities for a in p.actions),
            "deadlines": selectors.plan_deadlines(),
            "published_on": selectors.plan_published_on(),
            "can_edit": _is_editor(request),
        },
    )


@allow(*EDITORS)
@require_POST
def plan_publish(request: HttpRequest) -> HttpResponse:
    published = request.POST.get("published") == "1"
    services.plan_publish(actor=request.user, published=published)
    messages.success(
        request, "Plan published to board members" if published else "Plan unpublished"
    )
    return redirect("inspection:plan")


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def priority_new(request: HttpRequest) -> HttpResponse:
    form = forms.PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Priority added")
            return redirect("inspection:plan")
    return render(
        request,
        "inspection/form_page.html",
        {"form": form, "title": "Add a priority", "button": "Add priority"},
    )


@allow(*EDITORS)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, priority_pk: int) -> HttpResponse:
    priority: Priority = _get(Priority, priority_pk)
    form = forms.ActionForm(
        request.POST or None,
        initial={"findings": list(priority.findings.all()), "set_on": _today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                actor=request.user, priority=priority, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Action added")
            return redirect("inspection:action", pk=action.pk)
    return render(
        request,
        "inspection/form_page.html",
        {"form": form, "title": f"Add an action to: {priority}", "button": "Add action"},
    )


@allow(*BOARD)
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _plan_visible(request)
    action: Action = _get(Action, pk)
    can_edit = _is_editor(request)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only senior leaders change the plan")
    which = request.POST.get("form") if request.method == "POST" else None
    update_form = forms.ActionUpdateForm(
        request.POST if which == "update" else None,
        initial={
            "status": action.status,
            "due_on": action.due_on,
            "completed_on": action.completed_on,
            "rag_override": action.rag_override,
            "rag_override_reason": action.rag_override_reason,
        },
    )
    progress_form = forms.ProgressUpdateForm(
        request.POST if which == "progress" else None, initial={"written_on": _today()}
    )
    evidence_form = forms.EvidenceForm(request.POST if which == "evidence" else None)
    bound = {"update": update_form, "progress": progress_form, "evidence": evidence_form}.get(
        which or ""
    )
    if bound is not None and bound.is_valid():
        try:
            if which == "update":
                services.action_update(actor=request.user, action=action, **bound.cleaned_data)
            elif which == "progress":
                services.progress_update_add(
                    actor=request.user, action=action, **bound.cleaned_data
                )
            else:
                services.evidence_add(actor=request.user, action=action, **bound.cleaned_data)
        except ValidationError as exc:
            bound.add_service_errors(exc)
        else:
            messages.success(request, "Action updated")
            return redirect("inspection:action", pk=pk)
    targets = selectors.targets_by_code()
    evidence = []
    for item in action.evidence.select_related("document"):
        indicator = None
        if item.indicator_code:
            found = indicator_get(item.indicator_code)
            if found is not None:
                indicator = selectors.indicator_evidence(found, target=targets.get(found.code))
        evidence.append((item, indicator))
    return render(
        request,
        "inspection/action.html",
        {
            "rated": selectors.rate(action, today=_today()),
            "action": action,
            "evidence": evidence,
            "updates": action.updates.select_related("written_by"),
            "update_form": update_form,
            "progress_form": progress_form,
            "evidence_form": evidence_form,
            "can_edit": can_edit,
            "form": bound,
        },
        status=400 if bound is not None else 200,
    )


# --- Targets


@allow(*READERS)
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    form = forms.TargetForm(request.POST or None)
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders set targets")
        if form.is_valid():
            try:
                services.target_save(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Target saved")
                return redirect("inspection:targets")
    return render(
        request,
        "inspection/targets.html",
        {
            "form": form,
            "evidence": selectors.indicators_with_evidence(),
            "can_edit": _is_editor(request),
        },
    )


# --- Boards


@allow(*BOARD)
@require_http_methods(["GET", "POST"])
def boards(request: HttpRequest) -> HttpResponse:
    form = forms.BoardForm(request.POST or None)
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders add boards")
        if form.is_valid():
            try:
                board = services.board_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"{board} added")
                return redirect("inspection:board", pk=board.pk)
    return render(
        request,
        "inspection/boards.html",
        {
            "boards": Board.objects.prefetch_related("meetings"),
            "form": form,
            "can_edit": _is_editor(request),
        },
    )


@allow(*BOARD)
@require_http_methods(["GET", "POST"])
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board: Board = _get(Board, pk)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders record meetings")
        if form.is_valid():
            meeting = services.meeting_save(actor=request.user, board=board, **form.cleaned_data)
            messages.success(request, "Meeting recorded")
            return redirect("inspection:meeting", pk=meeting.pk)
    return render(
        request,
        "inspection/board.html",
        {
            "board": board,
            "log": selectors.board_action_log(board, today=_today()),
            "meetings": board.meetings.all(),
            "form": form,
            "can_edit": _is_editor(request),
        },
    )


def _meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: forms.MeetingForm | None = None,
    action_form: forms.MeetingActionForm | None = None,
) -> HttpResponse:
    today = _today()
    return render(
        request,
        "inspection/meeting.html",
        {
            "meeting": meeting,
            "form": form
            or forms.MeetingForm(
                initial={
                    "held_on": meeting.held_on,
                    "agenda": meeting.agenda,
                    "attendance": meeting.attendance,
                    "decisions": meeting.decisions,
                }
            ),
            "action_form": action_form or forms.MeetingActionForm(),
            "actions": selectors.meeting_actions(meeting, today=today),
            "arising": selectors.board_action_log(meeting.board, today=today, before=meeting),
            "issued": meeting.issued_packs.defer("content").select_related("made_by"),
            "can_edit": _is_editor(request),
        },
    )


@allow(*BOARD)
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting: Meeting = _get(Meeting, pk)
    if request.method != "POST":
        return _meeting_page(request, meeting)
    if not _is_editor(request):
        raise PermissionDenied("Only senior leaders change meetings")
    form = forms.MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_save(
                actor=request.user, board=meeting.board, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Meeting updated")
            return redirect("inspection:meeting", pk=pk)
    meeting.refresh_from_db()
    return _meeting_page(request, meeting, form=form)


@allow(*EDITORS)
@require_POST
def meeting_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting: Meeting = _get(Meeting, pk)
    form = forms.MeetingActionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_action_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Action added to the board's log")
            return redirect("inspection:meeting", pk=pk)
    return _meeting_page(request, meeting, action_form=form)


@allow(*BOARD)
@require_http_methods(["GET", "POST"])
def meeting_action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action: MeetingAction = _get(MeetingAction, pk)
    form = forms.MeetingActionDoneForm(request.POST or None)
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders record board actions as done")
        if form.is_valid():
            try:
                services.meeting_action_done(
                    actor=request.user,
                    action=action,
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Action recorded as done")
                return redirect("inspection:meeting", pk=action.meeting_id)
    today = _today()
    return render(
        request,
        "inspection/meeting_action.html",
        {
            "action": action,
            "rag": rules.board_action_rag(
                due_on=action.due_on, done_on=action.done_on, today=today
            ),
            "form": form,
            "can_edit": _is_editor(request),
        },
    )


@allow(*EDITORS)
@require_POST
def board_pack_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the pack PDF from today's data and keep it with the meeting."""
    meeting: Meeting = _get(Meeting, pk)
    pdf = exports.board_pack_pdf(meeting=meeting, pack=selectors.board_pack(meeting=meeting))
    issued = services.pack_issue(actor=request.user, meeting=meeting, content=pdf)
    messages.success(request, f"Board pack issued: {issued.made_at:%d %B %Y %H:%M}")
    return redirect("inspection:meeting", pk=pk)


@allow(*BOARD)
@require_GET
def board_pack_issued(request: HttpRequest, pk: int) -> HttpResponse:
    issued: IssuedPack = _get(IssuedPack, pk)
    return _audited_attachment(
        request,
        issued,
        bytes(issued.content),
        section="Issued board pack PDF",
        content_type="application/pdf",
        filename=f"board-pack-{issued.meeting.held_on:%Y-%m-%d}-issued-{issued.made_at:%Y%m%d-%H%M}.pdf",
    )


@allow(*BOARD)
@require_GET
def board_pack(request: HttpRequest, pk: int) -> HttpResponse:
    meeting: Meeting = _get(Meeting, pk)
    return render(
        request,
        "inspection/pack.html",
        {"meeting": meeting, "pack": selectors.board_pack(meeting=meeting)},
    )


@allow(*BOARD)
@require_GET
def board_pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting: Meeting = _get(Meeting, pk)
    return _audited_attachment(
        request,
        meeting,
        exports.board_pack_pdf(meeting=meeting, pack=selectors.board_pack(meeting=meeting)),
        section="Board pack PDF",
        content_type="application/pdf",
        filename=f"board-pack-{meeting.held_on:%Y-%m-%d}.pdf",
    )


# --- The self-evaluation


@allow(*READERS)
@require_http_methods(["GET", "POST"])
def self_evaluations(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders write the self-evaluation")
        year = request.POST.get("year", "")
        if year.isdigit() and 2018 <= int(year) <= _today().year + 1:
            return redirect("inspection:self_evaluation", year=int(year))
        messages.error(request, "Enter a year from 2018 to next year")
    return render(
        request,
        "inspection/self_evaluations.html",
        {
            "evaluations": SelfEvaluation.objects.prefetch_related("versions"),
            "this_year": _today().year,
            "can_edit": _is_editor(request),
        },
    )


@allow(*READERS)
@require_http_methods(["GET", "POST"])
def self_evaluation(request: HttpRequest, year: int) -> HttpResponse:
    if not 2018 <= year <= _today().year + 1:
        raise Http404("No such year")
    evaluation = SelfEvaluation.objects.filter(year=year).first()
    latest = evaluation.versions.first() if evaluation else None
    form = forms.SelfEvaluationForm(
        request.POST or None, year=year, sections=latest.sections if latest else {}
    )
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders write the self-evaluation")
        if form.is_valid():
            version = services.self_evaluation_save(
                actor=request.user, year=year, sections=form.sections()
            )
            messages.success(request, f"Version {version.number} saved")
            return redirect("inspection:self_evaluation_version", pk=version.pk)
    return render(
        request,
        "inspection/self_evaluation.html",
        {
            "year": year,
            "form": form,
            "versions": evaluation.versions.all() if evaluation else [],
            "indicators": indicator_list(),
            "can_edit": _is_editor(request),
        },
    )


@allow(*READERS)
@require_http_methods(["GET", "POST"])
def self_evaluation_version(request: HttpRequest, pk: int) -> HttpResponse:
    version: SelfEvaluationVersion = _get(SelfEvaluationVersion, pk)
    form = forms.ShareForm(request.POST or None, initial={"shared_on": _today()})
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied("Only senior leaders share the self-evaluation")
        if form.is_valid():
            try:
                services.self_evaluation_share(
                    actor=request.user, version=version, shared_on=form.cleaned_data["shared_on"]
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Recorded as shared with Ofsted; this version is frozen")
                return redirect("inspection:self_evaluation_version", pk=pk)
    return render(
        request,
        "inspection/self_evaluation_version.html",
        {
            "version": version,
            "sections": exports.self_evaluation_sections(version),
            "form": form,
            "can_edit": _is_editor(request),
        },
    )


@allow(*READERS)
@require_GET
def self_evaluation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version: SelfEvaluationVersion = _get(SelfEvaluationVersion, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404("No such format")
    pdf = fmt == "pdf"
    return _audited_attachment(
        request,
        version,
        exports.self_evaluation_pdf(version) if pdf else exports.self_evaluation_docx(version),
        section=f"Self-evaluation {fmt}",
        content_type="application/pdf" if pdf else rules.DOCX.content_type,
        filename=f"self-evaluation-{version.self_evaluation.year}-v{version.number}.{fmt}",
    )
