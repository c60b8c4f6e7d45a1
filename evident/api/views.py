"""Administrators' page of partner systems' API tokens, with "Revoke"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.api.models import ApiToken
from evident.api.services import api_token_revoke


@allow(Role.ADMIN)
@require_GET
def api_tokens(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.select_related("organisation", "created_by")
    return render(request, "api/api_tokens.html", {"tokens": tokens})


@allow(Role.ADMIN)
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token = get_object_or_404(ApiToken, pk=token_id)
    api_token_revoke(actor=request.user, api_token=api_token)
    messages.success(request, f"Token “{api_token.name}” for {api_token.organisation} revoked.")
    return redirect("api_tokens:list")
