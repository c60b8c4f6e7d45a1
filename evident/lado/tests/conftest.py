from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from evident.core.clocks import LONDON
from evident.lado import services
from evident.lado.models import LadoReferral


@pytest.fixture
def record_referral(personas: dict[str, Any]):
    def record(**overrides: Any) -> LadoReferral:
        fields: dict[str, Any] = {
            "actor": personas["lado"],
            "received_at": timezone.now() - timedelta(hours=2),
            "source": "employer",
            "adult_first_name": "Robert",
            "adult_last_name": "Hartley",
            "adult_date_of_birth": date(1982, 5, 14),
            "adult_role": "PE teacher",
            "employer": "Northtown Academy",
            "sector": "education",
            "regulated_activity": "yes",
            "category": "physical",
            "allegation": "Grabbed a pupil by the arm and pushed him against a wall.",
            "referrer_name": "Dana Head",
            "referrer_organisation": "Northtown Academy",
        }
        fields.update(overrides)
        return services.referral_record(**fields)

    return record


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)
