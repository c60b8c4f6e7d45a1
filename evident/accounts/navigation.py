"""The service navigation, by role. Each item is shown only to the roles its page allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse

from evident.accounts.policies import policy_of

# (label, URL name) in the order they appear.
ITEMS: list[tuple[str, str]] = [
    ("Home", "core:home"),
    ("Front door", "front_door:tray"),
    ("Authorisations", "front_door:authorisations"),
    ("Referrals", "casework:referrals"),
    ("Find a person", "people:search"),
    ("Indicators", "performance:indicators"),
    ("Ofsted data", "performance:annex_a"),
    ("Closure days", "core:closure_days"),
    ("API tokens", "api_tokens:list"),
    ("Front-door standards", "front_door:standards"),
    ("Your submissions", "portal:submissions"),
    ("Information requests", "portal:requests"),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    active: bool


def navigation_for(user: Any, current_path: str) -> list[NavItem]:
    items: list[NavItem] = []
    for label, name in ITEMS:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        policy = policy_of(resolve(href).func)
        if policy is None or not policy.allows(user):
            continue
        active = current_path == href if name == "core:home" else current_path.startswith(href)
        items.append(NavItem(label=label, href=href, active=active))
    return items
