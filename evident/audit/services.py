"""Writing audit events. Every service that reads or changes a child's record calls
``audit_record`` inside its transaction, before any data leaves the server."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone

from evident.audit import context
from evident.audit.models import AuditEvent

log = logging.getLogger(__name__)


class AuditWriteError(RuntimeError):
    """The audit event could not be written, so nothing may be shown or saved."""


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {
            "actor": None,
            "actor_username": "anonymous",
            "actor_roles": "",
            "actor_organisation": "",
        }
    return {
        "actor": actor,
        "actor_username": actor.get_username(),
        "actor_roles": ",".join(sorted(actor.roles)),
        "actor_organisation": str(actor.organisation or ""),
    }


def audit_record(
    *,
    actor: Any,
    action: AuditEvent.Action,
    record: Any = None,
    record_type: str = "",
    record_id: str = "",
    person: Any = None,
    section: str = "",
    detail: dict[str, Any] | None = None,
    path: str = "",
) -> AuditEvent:
    """Write one audit event now, in the caller's transaction.

    Raises ``AuditWriteError`` if the row cannot be written: the caller's transaction is
    then rolled back and the request answers 503 (fail closed, security.md R6).
    """
    ctx = context.current()
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(record.pk)
    event = AuditEvent(
        occurred_at=timezone.now(),
        action=action,
        record_type=record_type,
        record_id=record_id,
        person=person,
        section=section,
        request_id=ctx.request_id,
        ip_address=ctx.ip,
        path=path[:500],
        detail=detail or {},
        **_actor_fields(actor),
    )
    try:
        with transaction.atomic():
            event.save()
    except DatabaseError as exc:
        log.exception("Audit write failed")
        raise AuditWriteError("The audit trail could not be written") from exc
    return event


def audit_people_read(
    *,
    actor: Any,
    people: list[Any],
    section: str,
    record_type: str = "people.person",
    path: str = "",
) -> None:
    """A list or search that shows several people's records: one event per person, in one
    insert (a tray of 50 children is 50 reads of 50 records)."""
    if not people:
        return
    ctx = context.current()
    now = timezone.now()
    actor_fields = _actor_fields(actor)
    events = [
        AuditEvent(
            occurred_at=now,
            action=AuditEvent.Action.VIEW,
            record_type=record_type,
            record_id=str(person.pk),
            person=person,
            section=section,
            request_id=ctx.request_id,
            ip_address=ctx.ip,
            path=path[:500],
            **actor_fields,
        )
        for person in people
    ]
    try:
        with transaction.atomic():
            AuditEvent.objects.bulk_create(events)
    except DatabaseError as exc:
        log.exception("Audit write failed")
        raise AuditWriteError("The audit trail could not be written") from exc


def audit_denied(*, request: HttpRequest, reason: str) -> None:
    """A refused request (ASVS v5 16.3.2). Failure to log a refusal never lets it through."""
    with contextlib.suppress(AuditWriteError):
        audit_record(
            actor=getattr(request, "user", None),
            action=AuditEvent.Action.DENIED,
            path=request.get_full_path(),
            detail={"reason": reason, "method": request.method},
        )
