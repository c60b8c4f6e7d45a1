"""The audit trail: append-only. One row per read or change of a child's record.

Rows are never updated or deleted by the application: the model refuses it, and on
PostgreSQL a trigger refuses it for everyone short of a superuser who drops the trigger
(a hash chain anchored off-host comes with the security work on the roadmap).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditImmutableError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("Audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("Audit events cannot be deleted")

    def about_person(self, person_id: Any) -> AuditQuerySet:
        return self.filter(person_id=person_id)


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        DENIED = "denied", "Refused access"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"

    occurred_at = models.DateTimeField(db_index=True)  # UTC, as all datetimes are stored
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Snapshots: what the actor was at the time, whatever changes later.
    actor_username = models.CharField(max_length=150)
    actor_roles = models.CharField(max_length=200, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=50, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    # The child (or adult) whose record this is, when there is one.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, related_name="+", db_constraint=True
    )
    section = models.CharField(max_length=100, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="audit_person_time"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.record_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditImmutableError("Audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("Audit events cannot be deleted")
