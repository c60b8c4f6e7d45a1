"""Partner systems' API tokens: one organisation's system calls the API with a token.

Only a SHA-256 of the token is stored; the token itself is shown once, when it is made.
Each token acts through its own service account (a partner user with no password), so
what it submits and reads goes through the same services, scopes and audit as the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)  # what the partner's system is: "PPN sender"
    # The SHA-256 of the token, hex; the token is never stored.
    secret_hash = models.CharField(max_length=64, unique=True)
    # The service account the token acts as: a partner user who can never sign in.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
