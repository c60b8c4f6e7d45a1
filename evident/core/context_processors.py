from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {"council_name": settings.EVIDENT_COUNCIL_NAME}
