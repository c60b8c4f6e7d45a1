"""Deny by default: every URL pattern has an access policy, and the middleware enforces it.

The walk covers every pattern Django can resolve (including the API's), so a new page
without a policy fails here before it can ship.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from evident.accounts.middleware import AccessPolicyMiddleware
from evident.accounts.policies import policy_of
from evident.audit.models import AuditEvent


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


def test_the_walk_finds_the_site():
    routes = {route for route, _ in ALL_PATTERNS}
    assert "account/sign-in/" in routes
    assert len(ALL_PATTERNS) >= 5


@pytest.mark.parametrize(
    ("route", "pattern"), ALL_PATTERNS, ids=[r or "/" for r, _ in ALL_PATTERNS]
)
def test_every_url_has_an_access_policy(route, pattern):
    assert policy_of(pattern.callback) is not None, f"/{route} has no access policy"


def test_public_pages_are_few_and_named():
    public = sorted(
        route for route, p in ALL_PATTERNS if (pol := policy_of(p.callback)) and pol.public
    )
    # security.md R1: at most 5 public routes.
    assert len(public) <= 5, public


@pytest.mark.django_db
def test_a_view_without_a_policy_is_refused_and_audited():
    def naked_view(request):  # no policy attached
        return HttpResponse("secret")

    request = RequestFactory().get("/naked/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    middleware = AccessPolicyMiddleware(lambda r: HttpResponse("never"))
    response = middleware.process_view(request, naked_view, (), {})
    assert response is not None
    assert response.status_code == 403
    assert b"secret" not in response.content
    assert AuditEvent.objects.filter(action="denied", path="/naked/").count() == 1


@pytest.mark.django_db
def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


@pytest.mark.django_db
def test_a_role_outside_the_policy_gets_403_and_an_audit_event(client, personas):
    client.force_login(personas["practitioner"])
    response = client.get("/admin/closure-days/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=personas["practitioner"], action="denied").count() == 1


@pytest.mark.django_db
def test_a_partner_is_never_let_into_council_pages_whatever_role(client, make_user):
    from evident.accounts.roles import Role

    # A partner-organisation user wrongly given an admin role still cannot reach council pages.
    intruder = make_user("intruder", Role.ADMIN, partner=True)
    client.force_login(intruder)
    assert client.get("/admin/closure-days/").status_code == 403


@pytest.mark.django_db
def test_lado_pages_answer_404_to_council_roles_without_lado_access(client, personas):
    """Restricted records (security.md R5): every council LADO address is reachable by the
    function-level policy, and the LADO check inside answers 404 (audited) to anyone who is
    not a LADO officer or a named senior manager. The full matrix, with real record ids,
    is in ``evident/lado/tests/test_access.py``."""
    lado_routes = [
        route
        for route, pattern in ALL_PATTERNS
        if route.startswith("lado/") and "<" not in route and not route.startswith("lado/portal")
    ]
    assert lado_routes
    for persona in ("practitioner", "socialworker", "manager", "analyst", "leader", "admin"):
        client.force_login(personas[persona])
        for route in lado_routes:
            if route == "lado/access/":  # who may read: LADO officers and administrators
                continue
            response = client.get("/" + route)
            assert response.status_code == 404, (persona, route)
        denied = AuditEvent.objects.filter(actor=personas[persona], action="denied")
        assert denied.count() == len(lado_routes) - 1
    client.force_login(personas["lado"])
    for route in lado_routes:
        assert client.get("/" + route).status_code == 200, route
