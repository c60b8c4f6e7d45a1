from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Allow long passphrases (ASVS v5 6.2.9: at least 64) but not unbounded input."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Your password must be {self.max_length} characters or fewer",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."


class ContextWordsValidator:
    """Refuse passwords built on words specific to this service (ASVS v5 6.2.11)."""

    def words(self) -> list[str]:
        council = settings.EVIDENT_COUNCIL_NAME.lower().split()
        return ["evident", "password", *[w for w in council if len(w) > 3]]

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        for word in self.words():
            if word in lowered:
                raise ValidationError(
                    "Your password must not contain the name of this service or the council",
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return "Your password must not contain the name of this service or the council."
