"""Shared fixtures: one persona per role (healthchecks' alice/bob/charlie idea) and a
browser for the end-to-end tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from evident.accounts.models import Organisation, Team, User
from evident.accounts.roles import Role
from evident.accounts.services import council_get_or_create, team_get_or_create, user_create

PASSWORD = "a-long-test-passphrase-123"  # noqa: S105 (test accounts only)

PERSONA_ROLES = {
    "practitioner": Role.PRACTITIONER,
    "socialworker": Role.SOCIAL_WORKER,
    "manager": Role.TEAM_MANAGER,
    "partner": Role.PARTNER,
    "lado": Role.LADO,
    "analyst": Role.ANALYST,
    "leader": Role.LEADER,
    "admin": Role.ADMIN,
}


@pytest.fixture
def council(db: Any) -> Organisation:
    return council_get_or_create()


@pytest.fixture
def police(db: Any) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name="Test Police", defaults={"kind": Organisation.Kind.POLICE}
    )
    return org


@pytest.fixture
def make_user(council: Organisation, police: Organisation):
    def make(username: str, role: Role, *, partner: bool = False) -> User:
        team = (
            None
            if partner or role == Role.ADMIN
            else team_get_or_create(name="Front Door (MASH)", kind=Team.Kind.FRONT_DOOR)
        )
        return user_create(
            username=username,
            first_name=username.title(),
            last_name="Tester",
            organisation=police if partner else council,
            roles=[role],
            teams=[team] if team else [],
            password=PASSWORD,
        )

    return make


@pytest.fixture
def personas(make_user) -> dict[str, User]:
    """Every role, plus ``nobody``: a council user with no role at all."""
    users = {
        name: make_user(name, role, partner=(role == Role.PARTNER))
        for name, role in PERSONA_ROLES.items()
    }
    nobody = make_user("nobody", Role.PRACTITIONER)
    nobody.role_assignments.all().delete()
    users["nobody"] = User.objects.get(pk=nobody.pk)
    return users


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (its own browser download does not work here)."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar() -> Iterator[None]:
    """Each test reads closure days afresh: a calendar cached by an earlier test (and its
    database) must not leak into the next."""
    from evident.core.working_days import forget_calendar

    forget_calendar()
    yield
    forget_calendar()
