"""Casework pages: the duty and assessment team's referrals tray and allocation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
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
from evident.casework import selectors, services
from evident.casework.forms import AllocateForm
from evident.core.clocks import LONDON


@allow(Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
@require_GET
def referrals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = selectors.referrals_page(
        user=user,
        page_number=request.GET.get("page"),
        today=timezone.now().astimezone(LONDON).date(),
        path=request.get_full_path(),
    )
    return render(
        request,
        "casework/referrals.html",
        {
            "page": page.page,
            "rows": page.rows,
            "teams": list(user.teams.all()),
            "can_allocate": user.has_role(Role.TEAM_MANAGER),
        },
    )


@allow(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Allocate a referral to a social worker in the team."""
    episode = selectors.episode_get_for_user(user=request.user, episode_id=episode_id)
    form = AllocateForm(
        data=request.POST if request.method == "POST" else None,
        workers=services.allocatable_workers(episode.team),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_allocate(
                actor=request.user, episode=episode, worker=form.chosen_worker()
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, f"Referral allocated to {form.chosen_worker().get_full_name()}"
            )
            return redirect("casework:referrals")
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            record=episode,
            person=episode.person,
            section="casework.allocation",
            path=request.path,
        )
    return render(request, "casework/allocate.html", {"episode": episode, "form": form})
