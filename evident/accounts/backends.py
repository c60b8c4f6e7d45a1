from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EvidentModelBackend(ModelBackend):
    """Django's backend, except that demo accounts cannot sign in outside demo mode."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.EVIDENT_DEMO:
            return False
        return super().user_can_authenticate(user)
