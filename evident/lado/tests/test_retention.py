"""Retention dates come out right for any date of birth and closure (security.md 3.4)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from evident.lado.retention import DEFAULT_RULES, add_years, review_date

births = st.one_of(st.none(), st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)))
closures = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
rules = st.sampled_from(sorted(DEFAULT_RULES.items()))


@given(birth=births, closed=closures, rule=rules)
def test_review_date_is_never_before_closure_and_follows_the_rule(birth, closed, rule):
    _applies_to, (basis, years) = rule
    due = review_date(basis=basis, years=years, closed_on=closed, date_of_birth=birth)
    assert due >= closed
    start = birth if basis == "birth" and birth is not None else closed
    assert due == max(add_years(start, years), closed)
    # Whole years later, the same day (29 February becomes 28 February).
    expected = add_years(start, years)
    assert expected.year == start.year + years
    assert expected.month == start.month
    assert expected.day == start.day or (start.month, start.day, expected.day) == (2, 29, 28)


def test_the_seeded_periods_match_security_md():
    assert DEFAULT_RULES["substantiated"] == ("birth", 100)
    assert DEFAULT_RULES["unsubstantiated"] == ("birth", 100)
    assert DEFAULT_RULES["unfounded"] == DEFAULT_RULES["malicious"] == ("closure", 10)
    assert DEFAULT_RULES["advice"] == ("closure", 6)
    assert review_date(
        basis="birth", years=100, closed_on=date(2026, 5, 1), date_of_birth=date(1980, 2, 29)
    ) == date(2080, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
