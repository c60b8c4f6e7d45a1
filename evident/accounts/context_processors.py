from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from evident.accounts.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {"navigation": navigation_for(user, request.path)}
