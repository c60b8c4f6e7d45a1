"""Retention of LADO records: the council's rule table gives each closed record its
review or destruction date. Pure date arithmetic here; the table is ``LadoRetentionRule``."""

from __future__ import annotations

from datetime import date

# security.md 1.6 (Devon's published periods): substantiated or unsubstantiated 100 years
# from the adult's date of birth; unfounded, malicious or false 10 years from closure;
# advice only (and harm test not met) 6 years from closure.
DEFAULT_RULES: dict[str, tuple[str, int]] = {
    "substantiated": ("birth", 100),
    "unsubstantiated": ("birth", 100),
    "unfounded": ("closure", 10),
    "malicious": ("closure", 10),
    "false": ("closure", 10),
    "advice": ("closure", 6),
    "not_met": ("closure", 6),
}


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_date(*, basis: str, years: int, closed_on: date, date_of_birth: date | None) -> date:
    """When the record is due for review or destruction.

    A rule counted from the date of birth falls back to closure when the date of birth is
    not known: later, never earlier, than the rule would give for any adult still working.
    """
    start = date_of_birth if basis == "birth" and date_of_birth is not None else closed_on
    due = add_years(start, years)
    # Never before closure (a birth-based rule for an old adult must not destroy at once).
    return max(due, closed_on)
