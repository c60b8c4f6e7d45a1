"""An employer or agency refers an allegation to the LADO through the partner portal: three
short questions, check your answers, send. The draft lives in the server-side session (no
details in addresses). Afterwards the partner sees only their organisation's referrals and
each one's stage, never the LADO's notes, meetings or other records."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.lado import selectors, services
from evident.lado.forms import AdultForm, AllegationForm, ReferrerForm
from evident.lado.models import Category, RegulatedActivity, Sector, Source
from evident.portal.forms import as_data, posted

partner_only = allow(Role.PARTNER, council_only=False)
DRAFT_KEY = "lado_portal_draft"
STEPS: list[tuple[str, type[Any], str]] = [
    ("adult", AdultForm, "lado_portal:portal_adult"),
    ("allegation", AllegationForm, "lado_portal:portal_allegation"),
    ("referrer", ReferrerForm, "lado_portal:portal_referrer"),
]


def _user(request: HttpRequest) -> Any:
    return request.user


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else {}


def _forms(draft: dict[str, Any]) -> dict[str, Any]:
    forms = {}
    for name, form_class, _url in STEPS:
        if name in draft:
            form = form_class(as_data(draft[name]))
            form.is_valid()
            forms[name] = form
    return forms


def _first_unanswered(draft: dict[str, Any]) -> str | None:
    forms = _forms(draft)
    for name, _form_class, url in STEPS:
        if name not in forms or not forms[name].is_valid():
            return url
    return None


@partner_only
@require_GET
def portal_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    referrals = selectors.referrals_visible_to(user).select_related("consideration")
    rows = [(r, selectors.status_label(r)) for r in referrals.order_by("-received_at")[:200]]
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditEvent.Action.SEARCH,
            record_type="lado.ladoreferral",
            section="lado portal list",
            detail={"shown": [r.reference for r, _ in rows]},
        )
    return render(request, "lado/portal_list.html", {"rows": rows})


@partner_only
@require_http_methods(["GET", "POST"])
def portal_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session[DRAFT_KEY] = {}
        return redirect("lado_portal:portal_adult")
    return render(
        request, "lado/portal_start.html", {"lado_contact": settings.EVIDENT_LADO_CONTACT}
    )


def _question(request: HttpRequest, step: str, template: str, then: str) -> HttpResponse:
    form_class = next(f for name, f, _ in STEPS if name == step)
    draft = _draft(request)
    if DRAFT_KEY not in request.session:
        return redirect("lado_portal:portal_start")
    if request.method == "POST":
        form = form_class(request.POST)
    elif step in draft:  # coming back to change an answer: the stored answers
        form = form_class(as_data(draft[step]))
    else:
        form = form_class()
    if request.method == "POST" and form.is_valid():
        draft[step] = posted(request.POST, form)
        request.session[DRAFT_KEY] = draft
        return redirect("lado_portal:portal_check" if request.POST.get("change") else then)
    change = request.GET.get("change") or request.POST.get("change")
    return render(request, template, {"form": form, "change": change})


@partner_only
@require_http_methods(["GET", "POST"])
def portal_adult(request: HttpRequest) -> HttpResponse:
    return _question(request, "adult", "lado/portal_adult.html", "lado_portal:portal_allegation")


@partner_only
@require_http_methods(["GET", "POST"])
def portal_allegation(request: HttpRequest) -> HttpResponse:
    return _question(
        request, "allegation", "lado/portal_allegation.html", "lado_portal:portal_referrer"
    )


@partner_only
@require_http_methods(["GET", "POST"])
def portal_referrer(request: HttpRequest) -> HttpResponse:
    return _question(request, "referrer", "lado/portal_referrer.html", "lado_portal:portal_check")


@partner_only
@require_http_methods(["GET", "POST"])
def portal_check(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    draft = _draft(request)
    if DRAFT_KEY not in request.session:
        return redirect("lado_portal:portal_list")
    unanswered = _first_unanswered(draft)
    if unanswered is not None:
        return redirect(unanswered)
    forms = _forms(draft)
    adult, allegation, referrer = (forms[name].cleaned_data for name, _f, _u in STEPS)
    problems: list[str] = []
    if request.method == "POST":
        try:
            referral = services.referral_record(
                actor=user,
                received_at=timezone.now(),
                source=Source.EMPLOYER,
                adult_first_name=adult["adult_first_name"],
                adult_last_name=adult["adult_last_name"],
                adult_date_of_birth=adult["adult_date_of_birth"],
                adult_role=adult["adult_role"],
                employer=adult["employer"],
                sector=adult["sector"],
                regulated_activity=adult["regulated_activity"],
                category=allegation["category"],
                allegation=allegation["allegation"],
                incident_on=allegation["incident_on"],
                children=allegation["children"],
                referrer_name=referrer["referrer_name"],
                referrer_contact=referrer["referrer_contact"],
                referrer_organisation=str(user.organisation or ""),
                submitted_by=user,
                submitting_organisation=user.organisation,
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            request.session.pop(DRAFT_KEY, None)
            return redirect("lado_portal:portal_detail", referral_id=referral.pk)
    return render(
        request,
        "lado/portal_check.html",
        {
            "adult": adult,
            "allegation": allegation,
            "referrer": referrer,
            "sector": dict(Sector.choices).get(adult["sector"], ""),
            "regulated": dict(RegulatedActivity.choices).get(adult["regulated_activity"], ""),
            "category": dict(Category.choices).get(allegation["category"], ""),
            "summary_errors": problems,
            "organisation": user.organisation,
        },
    )


@partner_only
@require_GET
def portal_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = selectors.partner_referral_get(user=_user(request), referral_id=referral_id)
    return render(
        request,
        "lado/portal_detail.html",
        {
            "referral": referral,
            "status": selectors.status_label(referral),
            "lado_contact": settings.EVIDENT_LADO_CONTACT,
        },
    )
