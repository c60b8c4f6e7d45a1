"""Headers, sessions, passwords and lockout (security.md R8-R10)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from conftest import PASSWORD
from evident.audit.models import AuditEvent


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, personas):
    client.force_login(personas["admin"])
    for path in ("/", "/admin/closure-days/", "/no-such-page/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "'nonce-" in csp
        assert "unsafe-inline" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cache-Control"] == "no-store"
        assert response["X-Request-ID"]


@pytest.mark.django_db
def test_the_only_inline_script_carries_the_nonce(client, personas):
    client.force_login(personas["admin"])
    response = client.get("/")
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    inline_scripts = [
        chunk for chunk in html.split("<script")[1:] if "src=" not in chunk.split(">")[0]
    ]
    assert inline_scripts, "the js-enabled snippet is expected"
    for chunk in inline_scripts:
        assert f'nonce="{nonce}"' in chunk.split(">")[0]


def test_sessions_idle_out_after_30_minutes_and_end_after_12_hours():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_LIMIT_SECONDS == 12 * 3600


@pytest.mark.django_db
def test_a_session_older_than_12_hours_is_ended(client, personas):
    from evident.accounts.middleware import SESSION_STARTED_KEY

    client.force_login(personas["admin"])
    session = client.session
    session[SESSION_STARTED_KEY] = 0.0  # signed in at the epoch
    session.save()
    response = client.get("/admin/closure-days/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12"),
        ("qwerty123456", "too common"),
        ("my-evident-passphrase", "name of this service"),
        ("x" * 129, "128 characters or fewer"),
    ],
)
def test_password_rules_follow_r8(password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_a_long_passphrase_with_no_composition_rules_is_accepted():
    validate_password("correct horse battery staple " * 2)


@pytest.mark.django_db
def test_ten_failures_lock_the_account_with_the_same_message(client, personas):
    url = "/account/sign-in/"
    for _ in range(10):
        response = client.post(url, {"username": "practitioner", "password": "wrong-wrong-wrong"})
        assert b"Enter a correct username and password" in response.content
    # Now even the right password is refused, and the page says exactly the same thing.
    locked = client.post(url, {"username": "practitioner", "password": PASSWORD})
    assert locked.status_code == 200
    assert b"Enter a correct username and password" in locked.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in_failed").count() >= 10


@pytest.mark.django_db
def test_signing_in_and_out_is_audited(client, personas):
    response = client.post("/account/sign-in/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=personas["analyst"], action="sign_in").count() == 1
    client.post("/account/sign-out/")
    assert AuditEvent.objects.filter(actor=personas["analyst"], action="sign_out").count() == 1


@pytest.mark.django_db
def test_demo_accounts_cannot_sign_in_outside_demo_mode(client, personas):
    user = personas["leader"]
    user.is_demo = True
    user.save()
    response = client.post("/account/sign-in/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_accounts_are_refused_outside_demo_mode():
    from evident.accounts.services import demo_accounts_create

    with pytest.raises(RuntimeError, match="demo mode"):
        demo_accounts_create()


@pytest.mark.django_db
def test_the_deploy_check_fails_when_demo_accounts_exist(personas):
    from evident.accounts.checks import no_demo_accounts_outside_demo

    assert no_demo_accounts_outside_demo() == []
    personas["leader"].is_demo = True
    personas["leader"].save()
    assert [e.id for e in no_demo_accounts_outside_demo()] == ["evident.E002"]


@pytest.mark.django_db
def test_sign_out_needs_post(client, personas):
    client.force_login(personas["admin"])
    assert client.get("/account/sign-out/").status_code == 405
