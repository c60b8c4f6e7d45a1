"""Every indicator, by code. A new indicator is a new definition passed to ``register``."""

from __future__ import annotations

import re

from evident.performance.indicators.base import Indicator

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INDICATORS: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if not _CODE.match(indicator.code):
        raise ValueError(f"Indicator code {indicator.code!r}: use lower case, digits and hyphens")
    if indicator.code in _INDICATORS:
        raise ValueError(f"Indicator code {indicator.code!r} is already registered")
    _INDICATORS[indicator.code] = indicator
    return indicator


def indicator_get(code: str) -> Indicator | None:
    return _INDICATORS.get(code)


def indicator_list() -> list[Indicator]:
    """In the order they were registered."""
    return list(_INDICATORS.values())
