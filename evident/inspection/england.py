"""England's figures (reference.md §5: DfE "Children in need" statistics, years ending
31 March), keyed by the indicator slug they belong to. Only measures that are the same
thing as an indicator may be used as that indicator's England figure; the targets page
offers these when an indicator with the slug exists."""

from __future__ import annotations

from decimal import Decimal

SOURCE = "DfE Children in need statistics, year ending 31 March"

ENGLAND: dict[str, tuple[str, dict[int, Decimal]]] = {
    "re-referrals-12-months": (
        "Re-referrals within 12 months (% of referrals)",
        {2023: Decimal("22.4"), 2024: Decimal("22.4"), 2025: Decimal("22.6")},
    ),
    "referrals-ending-nfa": (
        "Referrals ending in no further action",
        {2023: Decimal("7.1"), 2024: Decimal("6.3"), 2025: Decimal("6.5")},
    ),
    "cp-plans-second-or-subsequent": (
        "Child protection plans starting in the year that were a second or subsequent plan",
        {2023: Decimal("23.6"), 2024: Decimal("24.7"), 2025: Decimal("24.5")},
    ),
    "cp-plans-open-2-years": (
        "Open child protection plans lasting 2 years or more at 31 March",
        {2023: Decimal("2.2"), 2024: Decimal("2.6"), 2025: Decimal("2.3")},
    ),
}


def latest_england(slug: str) -> tuple[Decimal, str] | None:
    """The latest England figure for an indicator slug, with where it comes from."""
    found = ENGLAND.get(slug)
    if found is None:
        return None
    measure, years = found
    year = max(years)
    return years[year], f"{measure}: {SOURCE} {year}"
