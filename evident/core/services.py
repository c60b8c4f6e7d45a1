from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from evident.core.models import ClosureDay
from evident.core.working_days import forget_calendar


@transaction.atomic
def closure_day_add(*, actor: Any, day: date, reason: str) -> ClosureDay:
    closure = ClosureDay.objects.create(day=day, reason=reason, created_by=actor)
    transaction.on_commit(forget_calendar)
    return closure
