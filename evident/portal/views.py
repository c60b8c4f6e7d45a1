"""The partner portal: a partner submits a concern one question at a time, then follows
what happened to it. Every page here is for partner-agency users only; the draft lives
in the database (``PortalDraft``) so it survives signing out."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evident.accounts.models import Organisation
from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.portal import selectors, services
from evident.portal.forms import (
    AddAnotherForm,
    ChildForm,
    ConcernForm,
    ConsentForm,
    DraftAnswers,
    ReferrerForm,
    as_data,
    posted,
)
from evident.portal.models import PortalDraft

PAGE_SIZE = 25
partner_only = allow(Role.PARTNER, council_only=False)


def _user(request: HttpRequest) -> Any:
    return request.user


def _next(request: HttpRequest, draft: PortalDraft, then: str) -> HttpResponse:
    """After a step: back to check your answers when changing an answer, else onwards."""
    if request.POST.get("change"):
        return redirect("portal:check", draft_id=draft.pk)
    return redirect(then, draft_id=draft.pk)


# Your submissions --------------------------------------------------------------------------


@partner_only
@require_GET
def submissions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.submissions_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/submissions.html",
        {
            "page": page,
            "rows": [(contact, selectors.submission_status(contact)) for contact in page],
            "drafts": list(selectors.drafts_of(user)),
            "organisation": user.organisation,
        },
    )


@partner_only
@require_GET
def submission(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    contact = selectors.submission_get_for_user(user=user, contact_id=contact_id)
    outcomes = selectors.submission_outcomes(user=user, contact=contact, path=request.path)
    return render(
        request,
        "portal/submission.html",
        {
            "contact": contact,
            "status": selectors.submission_status(contact),
            "outcomes": outcomes,
            "children": list(contact.submitted_children.all()),
        },
    )


@partner_only
@require_GET
def confirmation(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    contact = selectors.submission_get_for_user(user=_user(request), contact_id=contact_id)
    return render(request, "portal/confirmation.html", {"contact": contact})


# The question flow -------------------------------------------------------------------------


@partner_only
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The start page, with where to go instead when the concern is urgent."""
    if request.method == "POST":
        draft = services.portal_draft_create(actor=_user(request))
        return redirect("portal:child_add", draft_id=draft.pk)
    return render(
        request, "portal/start.html", {"front_door_phone": settings.EVIDENT_FRONT_DOOR_PHONE}
    )


@partner_only
@require_http_methods(["GET", "POST"])
def children(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    """The children added so far, and whether to add another."""
    draft = selectors.draft_get_for_user(user=_user(request), draft_id=draft_id)
    answers = DraftAnswers.of(draft.data)
    if not answers.children:
        return redirect("portal:child_add", draft_id=draft.pk)
    form = AddAnotherForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_another"] == "yes":
            return redirect("portal:child_add", draft_id=draft.pk)
        if not all(child.is_valid() for child in answers.children):
            form.add_error(None, "Check the details of every child before you continue")
        else:
            return _next(request, draft, "portal:concern")
    return render(
        request,
        "portal/children.html",
        {"draft": draft, "children": answers.children, "form": form},
    )


@partner_only
@require_http_methods(["GET", "POST"])
def child(request: HttpRequest, draft_id: uuid.UUID, index: int | None = None) -> HttpResponse:
    """One child: add a new one, or change one already added (``index``)."""
    draft = selectors.draft_get_for_user(user=_user(request), draft_id=draft_id)
    stored = list(draft.data.get("children") or [])
    if index is not None and not 0 <= index < len(stored):
        raise Http404("No such child on the draft")
    if request.method == "POST":
        form = ChildForm(data=request.POST)
        if form.is_valid():
            answers = posted(request.POST, form)
            if index is None:
                stored.append(answers)
            else:
                stored[index] = answers
            services.portal_draft_update(
                actor=_user(request), draft=draft, step="children", answers=stored
            )
            return redirect("portal:children", draft_id=draft.pk)
    elif index is not None:
        form = ChildForm(data=as_data(stored[index]))
    else:
        form = ChildForm()
    return render(
        request,
        "portal/child.html",
        {"draft": draft, "form": form, "index": index, "number": len(stored) + 1},
    )


@partner_only
@require_POST
def child_remove(request: HttpRequest, draft_id: uuid.UUID, index: int) -> HttpResponse:
    draft = selectors.draft_get_for_user(user=_user(request), draft_id=draft_id)
    stored = list(draft.data.get("children") or [])
    if not 0 <= index < len(stored):
        raise Http404("No such child on the draft")
    del stored[index]
    services.portal_draft_update(actor=_user(request), draft=draft, step="children", answers=stored)
    return redirect("portal:children", draft_id=draft.pk)


def _step(
    request: HttpRequest,
    draft_id: uuid.UUID,
    *,
    step: str,
    form_class: type[ConcernForm] | type[ConsentForm] | type[ReferrerForm],
    template: str,
    then: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """A one-question page: shows the answer kept, keeps a good answer, refuses a bad one
    (the draft is left as it was)."""
    draft = selectors.draft_get_for_user(user=_user(request), draft_id=draft_id)
    if request.method == "POST":
        form = form_class(data=request.POST)
        if form.is_valid():
            services.portal_draft_update(
                actor=_user(request), draft=draft, step=step, answers=posted(request.POST, form)
            )
            return _next(request, draft, then)
    elif draft.data.get(step):
        form = form_class(data=as_data(draft.data[step]))
    else:
        form = form_class(initial=initial)
    change = request.POST.get("change") or request.GET.get("change")
    organisation = _user(request).organisation
    return render(
        request,
        template,
        {
            "draft": draft,
            "form": form,
            "change": bool(change),
            "asks_health_service": (
                organisation is not None and organisation.kind == Organisation.Kind.HEALTH
            ),
        },
    )


@partner_only
@require_http_methods(["GET", "POST"])
def concern(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        draft_id,
        step="concern",
        form_class=ConcernForm,
        template="portal/concern.html",
        then="portal:consent",
    )


@partner_only
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    return _step(
        request,
        draft_id,
        step="consent",
        form_class=ConsentForm,
        template="portal/consent.html",
        then="portal:referrer",
    )


@partner_only
@require_http_methods(["GET", "POST"])
def referrer(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    return _step(
        request,
        draft_id,
        step="referrer",
        form_class=ReferrerForm,
        template="portal/referrer.html",
        then="portal:check",
        initial={
            "referrer_name": user.get_full_name(),
            "job_title": user.job_title,
            "referrer_email": user.email,
        },
    )


@partner_only
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    """Check your answers, then submit: the contact is saved and the draft consumed at once."""
    user = _user(request)
    if request.method == "POST":
        existing = selectors.drafts_of(user).filter(pk=draft_id).first()
        if existing is None:
            # Submitted already (the button pressed twice): show what was saved.
            sent = selectors.submissions_for(user).filter(pk=draft_id, submitted_by=user).first()
            if sent is None:
                raise Http404("No such draft")
            return redirect("portal:confirmation", contact_id=sent.pk)
    draft = selectors.draft_get_for_user(user=user, draft_id=draft_id)
    answers = DraftAnswers.of(draft.data)
    unanswered = answers.first_unanswered()
    if unanswered is not None:
        return redirect(unanswered, draft_id=draft.pk)
    problems: list[str] = []
    if request.method == "POST":
        try:
            contact = services.portal_draft_submit(
                actor=user, draft_id=draft.pk, submission=answers.for_service()
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            if contact is None:
                raise Http404("No such draft")
            return redirect("portal:confirmation", contact_id=contact.pk)
    return render(
        request,
        "portal/check.html",
        {
            "draft": draft,
            "answers": answers,
            "summary_errors": problems,
            "organisation": user.organisation,
        },
    )


@partner_only
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    draft = selectors.draft_get_for_user(user=_user(request), draft_id=draft_id)
    if request.method == "POST":
        services.portal_draft_delete(actor=_user(request), draft=draft)
        messages.success(request, "Draft deleted")
        return redirect(reverse("portal:submissions"))
    return render(request, "portal/draft_delete.html", {"draft": draft})
