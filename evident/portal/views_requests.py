"""Information requests in the partner portal: the MASH's questions to the partner's own
organisation, and the page to answer one. A partner sees the question and the contact's
reference only, never the children's records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.front_door import selectors_mash, services_mash
from evident.front_door.forms_mash import AnswerForm
from evident.front_door.models import InformationRequest

partner_only = allow(Role.PARTNER, council_only=False)


@partner_only
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    now = timezone.now()
    open_requests = list(selectors_mash.information_requests_for_partner(user))
    return render(
        request,
        "portal/requests.html",
        {
            "rows": [(r, r.is_overdue(now)) for r in open_requests],
            "organisation": user.organisation,
        },
    )


@partner_only
@require_http_methods(["GET", "POST"])
def request_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    asked = selectors_mash.information_request_get_for_partner(
        user=request.user, request_id=request_id
    )
    is_open = asked.status == InformationRequest.Status.OPEN
    form = AnswerForm(data=request.POST if request.method == "POST" and is_open else None)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            services_mash.information_request_answer(
                actor=request.user, request=asked, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Your answer about {asked.contact.reference} was sent")
            return redirect("portal:requests")
    return render(
        request,
        "portal/request.html",
        {
            "asked": asked,
            "is_open": is_open,
            "overdue": asked.is_overdue(timezone.now()),
            "form": form,
        },
    )
