from __future__ import annotations

from django.conf import settings
from django.db import models


class ClosureDay(models.Model):
    """A day the council's offices are closed beyond the bank holidays (for example a
    Christmas closure day). Statutory clocks skip it."""

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"
