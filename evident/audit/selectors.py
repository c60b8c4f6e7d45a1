from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from evident.audit.models import AuditEvent


def access_log_for_person(*, person: Any) -> QuerySet[AuditEvent]:
    """Who has viewed or changed this person's record, newest first."""
    return AuditEvent.objects.about_person(person.pk).select_related("actor")
