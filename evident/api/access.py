"""Access to the JSON API: every operation declares its roles, and every URL carries them.

An operation declares who may call it with ``auth=allow_api(Role.X, ...)``: django-ninja
then checks the session (401 when signed out) and the roles (403). ``guarded_urlpatterns``
turns the API's URL patterns into ones whose views carry the same ``AccessPolicy``, so
``AccessPolicyMiddleware`` (deny by default) checks them first, answering in JSON. An
operation without a declaration refuses everyone (the API's default auth) and stops the
URL configuration from loading, so it cannot ship by accident.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthorizationError
from ninja.operation import PathView
from ninja.security import HttpBearer, SessionAuth

from evident.accounts.policies import ANY_ROLE, AccessPolicy
from evident.accounts.roles import Role


class RoleSessionAuth(SessionAuth):
    """Django's session (the user is signed in to Evident) plus the operation's roles."""

    def __init__(self, policy: AccessPolicy):
        super().__init__(csrf=True)
        self.policy = policy

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None  # ninja answers 401
        if not self.policy.allows(user):
            raise AuthorizationError(message="You do not have access to this resource")
        return user


def allow_api(*roles: Role, council_only: bool = True) -> RoleSessionAuth:
    """An operation's declaration of who may call it: ``auth=allow_api(Role.ANALYST)``."""
    if not roles:
        raise ValueError("allow_api() needs at least one role")
    return RoleSessionAuth(
        AccessPolicy(roles=frozenset(roles), council_only=council_only, answers_json=True)
    )


class PartnerTokenAuth(HttpBearer):
    """A partner organisation's system: ``Authorization: Bearer <token>``, never the session
    (so no CSRF either). Every call it lets in is audited with the organisation and token."""

    policy = AccessPolicy(
        roles=frozenset({Role.PARTNER}),
        council_only=False,
        answers_json=True,
        bearer="required",
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from evident.api.services import api_token_authenticate
        from evident.audit.models import AuditEvent
        from evident.audit.services import audit_record

        found = api_token_authenticate(token=token)
        if found is None:
            return None  # ninja answers 401
        audit_record(
            actor=found.account,
            action=AuditEvent.Action.VIEW if request.method == "GET" else AuditEvent.Action.CREATE,
            record=found,
            section="api.partner",
            path=request.get_full_path(),
            detail={
                "organisation": found.organisation.name,
                "token": found.name,
                "method": request.method,
            },
        )
        request.api_token = found  # type: ignore[attr-defined]
        return found


def allow_partner_token() -> PartnerTokenAuth:
    """An operation for partner systems: ``auth=allow_partner_token()``."""
    return PartnerTokenAuth()


def refuse_undeclared(request: HttpRequest) -> Any:
    """The API's default auth: an operation that declares no roles lets nobody in."""
    raise AuthorizationError(message="This operation declares no access policy")


# The schema describes the API, not children: any signed-in council staff member, or a
# partner system with a live token (the view checks the token).
COUNCIL_STAFF = AccessPolicy(roles=ANY_ROLE, council_only=True, answers_json=True)
SCHEMA_READERS = AccessPolicy(
    roles=ANY_ROLE, council_only=True, answers_json=True, bearer="accepted"
)

SCHEMA_URL_NAME = "openapi-json"
ROOT_URL_NAME = "api-root"


def _api_root(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    # Kept only so ninja can reverse the API's root when it builds the schema.
    return JsonResponse({"detail": "Not Found"}, status=404)


def _schema_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """The schema: the middleware has checked the session unless a bearer token came."""

    @functools.wraps(view)
    def serve(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.headers.get("Authorization"):
            scheme, _, token = request.headers["Authorization"].partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                from evident.api.services import api_token_authenticate

                if api_token_authenticate(token=token.strip()) is None:
                    return JsonResponse({"detail": "Unauthorized"}, status=401)
        return view(request, *args, **kwargs)

    return serve


def _with_policy(view: Callable[..., Any], policy: AccessPolicy) -> Callable[..., Any]:
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return view(request, *args, **kwargs)

    guarded.access_policy = policy  # type: ignore[attr-defined]
    guarded.csrf_exempt = True  # type: ignore[attr-defined]  # ninja's auth checks CSRF
    return guarded


def _path_view_of(pattern: URLPattern) -> PathView:
    """The ninja PathView behind an operation's URL (its view closes over it)."""
    found = inspect.getclosurevars(pattern.callback).nonlocals.get("self")
    if not isinstance(found, PathView):
        raise ImproperlyConfigured(
            f"API URL {pattern.pattern} ({pattern.name}) is not a ninja operation: "
            "give it an access policy in evident/api/access.py"
        )
    return found


def operation_policy(path_view: PathView) -> AccessPolicy:
    """The one policy every operation on a path declares; refuses to load otherwise."""
    policies = set()
    for operation in path_view.operations:
        callbacks = list(operation.auth_callbacks)
        name = getattr(operation.view_func, "__qualname__", operation.view_func)
        if len(callbacks) != 1 or not isinstance(callbacks[0], RoleSessionAuth | PartnerTokenAuth):
            raise ImproperlyConfigured(
                f"API operation {name} ({operation.path}) declares no roles: "
                "add auth=allow_api(Role.X, ...) (or allow_partner_token()) to its decorator"
            )
        policies.add(callbacks[0].policy)
    if len(policies) != 1:
        raise ImproperlyConfigured(
            f"API operations on {path_view.operations[0].path} declare different roles: "
            "give operations with different roles their own paths"
        )
    return policies.pop()


def guarded_urlpatterns(api: NinjaAPI) -> list[URLPattern]:
    """The API's URL patterns, each view carrying its access policy."""
    patterns: Iterable[URLPattern | URLResolver] = api.urls[0]
    guarded: list[URLPattern] = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise ImproperlyConfigured(f"Unexpected nested API URLs: {pattern}")
        if pattern.name == SCHEMA_URL_NAME:
            view, policy = _schema_view(pattern.callback), SCHEMA_READERS
        elif pattern.name == ROOT_URL_NAME:
            view, policy = _api_root, COUNCIL_STAFF
        else:
            view, policy = pattern.callback, operation_policy(_path_view_of(pattern))
        guarded.append(
            URLPattern(
                pattern.pattern, _with_policy(view, policy), pattern.default_args, pattern.name
            )
        )
    return guarded
