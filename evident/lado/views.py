"""LADO pages. Every council page answers 404 (and audits the attempt) to anyone who is not
a LADO officer or a named senior manager, whatever the address; only LADO officers write."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evident.accounts.models import User
from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_denied, audit_record
from evident.lado import report, selectors, services
from evident.lado.forms import (
    ActionDoneForm,
    ConsiderationForm,
    GrantForm,
    LegalHoldForm,
    MeetingForm,
    OutcomeForm,
    ReferralRecordForm,
    RetentionRuleForm,
    TrayFilterForm,
)
from evident.lado.models import LadoAccessGrant, LadoAction, LadoReferral, LadoRetentionRule

# Every council role may reach the address; the LADO check inside answers 404 to the rest,
# so a guessed address is no oracle and every refusal is audited.
COUNCIL_ROLES = (
    Role.PRACTITIONER,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.LADO,
    Role.ANALYST,
    Role.LEADER,
    Role.ADMIN,
)
lado_page = allow(*COUNCIL_ROLES)


def _user(request: HttpRequest) -> Any:
    return request.user


def _refuse(request: HttpRequest) -> Http404:
    audit_denied(request=request, reason="lado_restricted")
    return Http404("Page not found")


def _reader(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.lado_can_read(user):
        raise _refuse(request)
    return user


def _writer(request: HttpRequest) -> Any:
    user = _user(request)
    if not selectors.lado_can_write(user):
        raise _refuse(request)
    return user


def _referral(request: HttpRequest, referral_id: uuid.UUID, *, write: bool = False) -> Any:
    user = _writer(request) if write else _reader(request)
    try:
        return user, selectors.referral_get_for_user(user=user, referral_id=referral_id)
    except Http404:
        raise _refuse(request) from None


# The work tray -----------------------------------------------------------------------------


@lado_page
@require_GET
def tray(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = TrayFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.tray_rows(
        user=user,
        stage=filters.get("stage", ""),
        sector=filters.get("sector", ""),
        rag=filters.get("rag", ""),
        band=filters.get("band", ""),
    )
    return render(
        request,
        "lado/tray.html",
        {
            "form": form,
            "rows": rows,
            "can_write": selectors.lado_can_write(user),
            "overdue": sum(1 for r in rows if r.timeliness.rag and r.timeliness.rag.value == "red"),
        },
    )


tray.nav_visible = selectors.lado_can_read  # type: ignore[attr-defined]


# Recording a referral ----------------------------------------------------------------------


@lado_page
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    user = _writer(request)
    now = timezone.localtime()
    form = ReferralRecordForm(
        request.POST or None,
        initial={"received_on": now.date(), "received_time": now.strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_record(
                actor=user,
                received_at=form.received_at(),
                source=data["source"],
                kind=data["kind"],
                adult_first_name=data["adult_first_name"],
                adult_last_name=data["adult_last_name"],
                adult_date_of_birth=data["adult_date_of_birth"],
                adult_role=data["adult_role"],
                employer=data["employer"],
                sector=data["sector"],
                regulated_activity=data["regulated_activity"],
                category=data["category"],
                allegation=data["allegation"],
                incident_on=data["incident_on"],
                referrer_name=data["referrer_name"],
                referrer_organisation=data["referrer_organisation"],
                referrer_contact=data["referrer_contact"],
                children=form.all_children(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "received_at" in exc.error_dict:
                exc.error_dict["received_on"] = exc.error_dict.pop("received_at")
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Referral {referral.reference} recorded")
            repeats = selectors.repeat_concerns(user=user, referral=referral)
            if repeats:  # the LADO should see these before the initial consideration
                messages.warning(
                    request,
                    f"{len(repeats)} earlier record{'s' if len(repeats) != 1 else ''} may be "
                    "about the same adult: see repeat concerns",
                )
            return redirect("lado:referral", referral_id=referral.pk)
    return render(request, "lado/referral_new.html", {"form": form})


# The case page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: date | datetime
    what: str
    detail: str = ""


def _timeline(
    referral: LadoReferral, meetings: list[Any], actions: list[Any]
) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            referral.received_at,
            "Received" + (" through the portal" if referral.via_portal else ""),
            referral.get_source_display(),
        )
    ]
    consideration = selectors._consideration(referral)
    if consideration:
        entries.append(
            TimelineEntry(
                consideration.decided_at,
                "Initial consideration",
                f"{consideration.get_decision_display()}, by {consideration.decided_by.get_full_name()}",
            )
        )
    for meeting in meetings:
        entries.append(TimelineEntry(meeting.held_on, meeting.get_kind_display()))
    for action in actions:
        if action.done_on:
            entries.append(
                TimelineEntry(
                    action.done_on, f"{action.get_action_type_display()} done", action.owner
                )
            )
    if referral.concluded_on:
        entries.append(
            TimelineEntry(referral.concluded_on, "Concluded", referral.get_outcome_display())
        )
    if referral.legal_hold_at:
        entries.append(
            TimelineEntry(
                referral.legal_hold_at,
                "Legal hold placed" if referral.legal_hold else "Legal hold lifted",
                referral.legal_hold_reason,
            )
        )

    def key(e: TimelineEntry) -> datetime:
        if isinstance(e.on, datetime):
            return timezone.localtime(e.on).replace(tzinfo=None)
        return datetime.combine(e.on, datetime.max.time())

    return sorted(entries, key=key)


@lado_page
@require_GET
def referral(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user = _reader(request)
    try:
        record = selectors.referral_open(
            user=user, referral_id=referral_id, section="lado case", path=request.path
        )
    except Http404:
        raise _refuse(request) from None
    meetings = list(record.meetings.prefetch_related("attendees", "actions"))
    actions = list(record.actions.select_related("meeting"))
    return render(
        request,
        "lado/referral.html",
        {
            "referral": record,
            "consideration": selectors._consideration(record),
            "children": list(record.children.select_related("person")),
            "meetings": meetings,
            "actions": actions,
            "timeliness": selectors.timeliness(record),
            "status": selectors.status_label(record),
            "repeats": selectors.repeat_concerns(user=user, referral=record),
            "timeline": _timeline(record, meetings, actions),
            "can_write": selectors.lado_can_write(user),
            "hold_form": LegalHoldForm(),
        },
    )


def _step(
    request: HttpRequest,
    referral_id: uuid.UUID,
    *,
    form_class: type[Any],
    template: str,
    save: Any,
    done: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    user, record = _referral(request, referral_id, write=True)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(user, record, form)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect("lado:referral", referral_id=record.pk)
    return render(request, template, {"form": form, "referral": record})


@lado_page
@require_http_methods(["GET", "POST"])
def consider(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    def save(user: Any, record: LadoReferral, form: ConsiderationForm) -> None:
        services.consideration_record(
            actor=user,
            referral=record,
            decision=form.cleaned_data["decision"],
            limbs=form.cleaned_data["limbs"],
            rationale=form.cleaned_data["rationale"],
        )

    return _step(
        request,
        referral_id,
        form_class=ConsiderationForm,
        template="lado/consider.html",
        save=save,
        done="Initial consideration recorded",
    )


@lado_page
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    def save(user: Any, record: LadoReferral, form: MeetingForm) -> None:
        services.meeting_record(
            actor=user,
            referral=record,
            kind=form.cleaned_data["kind"],
            held_on=form.cleaned_data["held_on"],
            decisions=form.cleaned_data["decisions"],
            attendees=form.cleaned_data["attendees"],
            actions=form.actions(),
        )

    return _step(
        request,
        referral_id,
        form_class=MeetingForm,
        template="lado/meeting.html",
        save=save,
        done="Meeting recorded",
        initial={"held_on": timezone.localdate()},
    )


@lado_page
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    def save(user: Any, record: LadoReferral, form: OutcomeForm) -> None:
        services.outcome_record(
            actor=user,
            referral=record,
            outcome=form.cleaned_data["outcome"],
            concluded_on=form.cleaned_data["concluded_on"],
            followed_by=form.cleaned_data["followed_by"],
            notes=form.cleaned_data["notes"],
        )

    return _step(
        request,
        referral_id,
        form_class=OutcomeForm,
        template="lado/outcome.html",
        save=save,
        done="Outcome recorded",
        initial={"concluded_on": timezone.localdate()},
    )


@lado_page
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, referral_id: uuid.UUID, action_id: int) -> HttpResponse:
    user, record = _referral(request, referral_id, write=True)
    action = LadoAction.objects.filter(referral=record, pk=action_id).first()
    if action is None:
        raise _refuse(request)
    form = ActionDoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(
                actor=user, action=action, done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Action marked as done")
            return redirect("lado:referral", referral_id=record.pk)
    return render(
        request, "lado/action_done.html", {"form": form, "referral": record, "action": action}
    )


@lado_page
@require_POST
def legal_hold(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user, record = _referral(request, referral_id, write=True)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        services.legal_hold_set(
            actor=user,
            referral=record,
            hold=not record.legal_hold,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Legal hold lifted" if record.legal_hold else "Legal hold placed")
    else:
        messages.error(request, "Enter the reason for the legal hold")
    return redirect(reverse("lado:referral", kwargs={"referral_id": record.pk}) + "#retention")


# Retention ---------------------------------------------------------------------------------


@lado_page
@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    services.retention_rules_ensure()
    due = list(selectors.retention_due(user=user))
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEvent.Action.SEARCH,
            record_type="lado.ladoreferral",
            section="lado retention",
            detail={"shown": [r.reference for r in due][:500]},
        )
    return render(
        request,
        "lado/retention.html",
        {
            "due": due,
            "rules": LadoRetentionRule.objects.all(),
            "can_write": selectors.lado_can_write(user),
            "today": timezone.localdate(),
        },
    )


@lado_page
@require_http_methods(["GET", "POST"])
def retention_rule(request: HttpRequest, rule_id: int) -> HttpResponse:
    user = _writer(request)
    rule = LadoRetentionRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise _refuse(request)
    form = RetentionRuleForm(
        request.POST or None, initial={"basis": rule.basis, "years": rule.years}
    )
    if request.method == "POST" and form.is_valid():
        services.retention_rule_update(
            actor=user,
            rule=rule,
            basis=form.cleaned_data["basis"],
            years=form.cleaned_data["years"],
        )
        messages.success(request, f"Retention for {rule.get_applies_to_display().lower()} changed")
        return redirect("lado:retention")
    return render(request, "lado/retention_rule.html", {"form": form, "rule": rule})


# The annual report -------------------------------------------------------------------------


def _report_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return report.current_year()
    return year if 2000 <= year <= report.current_year() else report.current_year()


def _annual(request: HttpRequest, kind: str) -> tuple[Any, report.AnnualReport]:
    user = _reader(request)
    year = _report_year(request)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW if kind == "page" else AuditEvent.Action.EXPORT,
            record_type="lado.report",
            record_id=str(year),
            section=f"lado annual report ({kind})",
        )
    return user, report.annual_report(scope=selectors.referrals_visible_to(user), year=year)


@lado_page
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    _, data = _annual(request, "page")
    this_year = report.current_year()
    return render(
        request,
        "lado/report.html",
        {
            "report": data,
            "sections": list(zip(data.breakdowns, report.chart_data(data), strict=True)),
            "years": [(y, report.year_label(y)) for y in range(this_year, this_year - 6, -1)],
        },
    )


annual_report.nav_visible = selectors.lado_can_read  # type: ignore[attr-defined]


@lado_page
@require_GET
def annual_report_pdf(request: HttpRequest) -> HttpResponse:
    _, data = _annual(request, "pdf")
    response = HttpResponse(
        report.report_pdf(data, council_name=settings.EVIDENT_COUNCIL_NAME),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="lado-annual-report-{data.year}.pdf"'
    return response


@lado_page
@require_GET
def annual_report_xlsx(request: HttpRequest) -> HttpResponse:
    _, data = _annual(request, "xlsx")
    response = HttpResponse(
        report.report_xlsx(data, council_name=settings.EVIDENT_COUNCIL_NAME),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="lado-annual-report-{data.year}.xlsx"'
    return response


# Who may read LADO records -----------------------------------------------------------------


def _grant_candidates() -> Any:
    return (
        User.objects.filter(
            is_active=True,
            organisation__kind="council",
            role_assignments__role__in=selectors.GRANTABLE_ROLES,
        )
        .distinct()
        .exclude(role_assignments__role=Role.LADO)
        .exclude(pk__in=LadoAccessGrant.objects.filter(revoked_at__isnull=True).values("user_id"))
        .order_by("last_name", "first_name")
    )


@allow(Role.LADO, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def grants(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GrantForm(request.POST or None, users=_grant_candidates())
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_add(
                actor=user, user=form.cleaned_data["user"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Access given")
            return redirect("lado:grants")
    return render(
        request,
        "lado/grants.html",
        {
            "form": form,
            "live": selectors.grants().filter(revoked_at__isnull=True),
            "revoked": selectors.grants().filter(revoked_at__isnull=False)[:50],
        },
    )


@allow(Role.LADO, Role.ADMIN)
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(LadoAccessGrant, pk=grant_id, revoked_at__isnull=True)
    services.grant_revoke(actor=_user(request), grant=grant)
    messages.success(request, f"Access removed from {grant.user.get_full_name()}")
    return redirect("lado:grants")
