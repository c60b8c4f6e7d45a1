from __future__ import annotations

from typing import Any

import pytest

from evident.accounts.models import User
from evident.accounts.roles import Role


@pytest.fixture
def board_member(make_user: Any) -> User:
    user: User = make_user("boardie", Role.BOARD_MEMBER)
    return user


@pytest.fixture
def leader(personas: dict[str, User]) -> User:
    return personas["leader"]


@pytest.fixture(autouse=True)
def _fresh_indicator_cache() -> None:
    """Indicator series are cached for minutes per process: each test counts afresh."""
    from django.core.cache import cache

    cache.clear()
