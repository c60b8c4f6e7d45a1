"""Sign-in and sign-out events go to the audit trail (ASVS v5 16.3.1)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditEvent.Action.SIGN_IN, path=request.path if request else "")


@receiver(user_logged_out)
def on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditEvent.Action.SIGN_OUT)


@receiver(user_login_failed)
def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Never the password; the username only as typed, to spot guessing.
    audit_record(
        actor=None,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
