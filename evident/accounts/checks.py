from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_demo_accounts_outside_demo(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Demo accounts share a published password: they must never exist in production."""
    if settings.EVIDENT_DEMO:
        return [
            Error(
                "EVIDENT_DEMO is on: demo accounts with a published password are allowed",
                id="evident.E001",
            )
        ]
    from evident.accounts.models import User

    try:
        count = User.objects.filter(is_demo=True).count()
    except DatabaseError:
        return []
    if count:
        return [
            Error(
                f"{count} demo account(s) exist in a non-demo deployment",
                hint='Delete them: evident shell -c "from evident.accounts.models import User; User.objects.filter(is_demo=True).delete()"',
                id="evident.E002",
            )
        ]
    return []
