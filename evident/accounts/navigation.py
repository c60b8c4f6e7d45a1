"""The service navigation, by role. Each item is shown only to the roles its page allows."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, resolve, reverse

from evident.accounts.policies import AccessPolicy, policy_of

# (label, URL name) in the order they appear.
ITEMS: list[tuple[str, str]] = [
    ("Home", "core:home"),
    ("Front door", "front_door:tray"),
    ("Authorisations", "front_door:authorisations"),
    ("Referrals", "casework:referrals"),
    ("What is due", "casework:due"),
    ("Caseloads", "casework:caseloads"),
    ("CIN panel", "casework:panel"),
    ("Find a person", "people:search"),
    ("Indicators", "performance:indicators"),
    ("Ofsted data", "performance:annex_a"),
    ("Inspection", "inspection:timeline"),
    ("Improvement plan", "inspection:plan"),
    ("Boards", "inspection:boards"),
    ("CIN census", "returns:cin_census"),
    ("Closure days", "core:closure_days"),
    ("API tokens", "api_tokens:list"),
    ("Front-door standards", "front_door:standards"),
    ("Your submissions", "portal:submissions"),
    ("Information requests", "portal:requests"),
    ("LADO", "lado:tray"),
    ("LADO report", "lado:report"),
    ("LADO access", "lado:grants"),
    ("LADO referrals", "lado_portal:portal_list"),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    active: bool


@functools.cache
def _routes() -> tuple[tuple[str, str, AccessPolicy, Any], ...]:
    """(label, address, policy) for each item whose page exists: URLs do not change while
    the process runs, so this is worked out once, not on every page."""
    routes = []
    for label, name in ITEMS:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        view = resolve(href).func
        policy = policy_of(view)
        if policy is not None:
            # A page may narrow its item further (LADO pages: officers and named managers).
            routes.append((label, href, policy, getattr(view, "nav_visible", None)))
    return tuple(routes)


def navigation_for(user: Any, current_path: str) -> list[NavItem]:
    allowed = [
        (label, href)
        for label, href, policy, visible in _routes()
        if policy.allows(user) and (visible is None or visible(user))
    ]
    # One active item: the longest address the current page sits under (the portal's
    # requests page is under the portal's home; Home only on itself).
    under = [
        h for _, h in allowed if current_path == h or (h != "/" and current_path.startswith(h))
    ]
    active = max(under, key=len, default=None)
    return [NavItem(label=label, href=href, active=href == active) for label, href in allowed]
