"""Function-level access: every view declares who may use it (deny by default).

``AccessPolicyMiddleware`` refuses any view that has no policy, so a new URL without one
fails closed, and ``tests/test_access_policies.py`` walks every URL pattern to keep it so.
Object-level access is the job of each app's ``…_visible_to(user)`` selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from evident.accounts.roles import Role

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessPolicy:
    roles: frozenset[Role]
    public: bool = False
    # Council staff only (partners are never let in, whatever their role).
    council_only: bool = True
    # JSON API endpoints: refusals answer 401/403 in JSON, not a sign-in redirect or page.
    answers_json: bool = False
    # Partner systems' API: "required" - the API checks a bearer token itself and never the
    # session; "accepted" - a request with a bearer token skips the session checks (the schema).
    bearer: str = ""

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if self.council_only and not user.works_for_council:
            return False
        return bool(user.roles & self.roles)

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.bearer == "required":
            return "partner system's API token"
        return ", ".join(sorted(role.label for role in self.roles))


def _attach(policy: AccessPolicy) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_policy = policy  # type: ignore[attr-defined]
        return view

    return decorator


def allow(*roles: Role, council_only: bool = True) -> Callable[[F], F]:
    """Only users holding one of these roles may use the view."""
    if not roles:
        raise ValueError("allow() needs at least one role; use public() for open pages")
    return _attach(AccessPolicy(roles=frozenset(roles), council_only=council_only))


def public(view: F) -> F:
    """Pages anyone may see signed out: sign-in, health check, accessibility statement."""
    return _attach(AccessPolicy(roles=frozenset(), public=True))(view)


ANY_ROLE: frozenset[Role] = frozenset(Role)


def signed_in(view: F) -> F:
    """Any signed-in user with a role (home page, sign-out, own account)."""
    return _attach(AccessPolicy(roles=ANY_ROLE, council_only=False))(view)


def policy_of(view: Any) -> AccessPolicy | None:
    """The policy on a view function or class-based view, if any."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        found = getattr(candidate, "access_policy", None)
        if isinstance(found, AccessPolicy):
            return found
    return None
