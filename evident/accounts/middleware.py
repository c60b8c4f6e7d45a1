from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from evident.accounts.policies import policy_of

log = logging.getLogger(__name__)

SESSION_STARTED_KEY = "evident_session_started"


def _has_bearer_token(request: HttpRequest) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip())


class AccessPolicyMiddleware:
    """Deny by default: a view with no access policy is refused; so is a user without one
    of the policy's roles. Refusals are audited (ASVS v5 16.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        policy = policy_of(view_func)
        if policy is None:
            log.error(
                "View %s has no access policy; refused", getattr(view_func, "__name__", view_func)
            )
            return self._refuse(request, "no access policy")
        if policy.public or policy.bearer == "required":
            return None
        if policy.bearer == "accepted" and _has_bearer_token(request):
            return None  # the view checks the token
        if not request.user.is_authenticated:
            if policy.answers_json:
                return JsonResponse({"detail": "Sign in to use this API"}, status=401)
            return redirect_to_login(request.get_full_path())
        if not policy.allows(request.user):
            return self._refuse(request, "role not allowed", answer_json=policy.answers_json)
        return None

    @staticmethod
    def _refuse(request: HttpRequest, reason: str, *, answer_json: bool = False) -> HttpResponse:
        from evident.audit.services import audit_denied

        audit_denied(request=request, reason=reason)
        if answer_json:
            return JsonResponse({"detail": "You do not have access to this resource"}, status=403)
        return render(request, "403.html", status=403)


class AbsoluteSessionLimitMiddleware:
    """security.md R9: a session ends 12 hours after sign-in however active it is
    (the 30-minute idle limit is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_LIMIT_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
