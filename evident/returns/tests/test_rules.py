"""Every rule: a child that passes it and a child that fails it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import pytest

from evident.returns.cin_census.records import (
    Assessment,
    CensusPeriod,
    Child,
    CINPlan,
    CPPlan,
    Episode,
    Header,
    Section47,
)
from evident.returns.cin_census.rules import RULES, Module, rules_for, upn_check_letter
from evident.returns.cin_census.sample import valid_upn
from evident.returns.cin_census.validation import census_validate, child_failures


def d(year: int, month: int, day: int, *, census: int) -> date:
    """A date in the census year ending 31 March ``census`` (written for 2026)."""
    return date(year + census - 2026, month, day)


def good_child(census: int = 2026) -> Child:
    def on(y: int, m: int, dd: int) -> date:
        return d(y, m, dd, census=census)

    return Child(
        la_child_id="C000123",
        upn=valid_upn("201230000001"),
        birth_date=on(2015, 3, 4),
        sex="M" if census >= 2025 else "1",
        ethnicity="WBRI",
        disabilities=["NONE"],
        episodes=[
            Episode(
                referral_date=on(2025, 6, 2),
                referral_source="6",
                primary_need="N1",
                closure_date=on(2025, 12, 1),
                closure_reason="RC7",
                referral_nfa=False,
                assessments=[Assessment(on(2025, 6, 3), on(2025, 7, 1), ["16A", "4B"])],
                cin_plans=[CINPlan(on(2025, 11, 2), on(2025, 12, 1))],
                section47s=[Section47(on(2025, 6, 4), on(2025, 6, 26), on(2025, 6, 20), False)],
                cp_plans=[
                    CPPlan(on(2025, 6, 20), on(2025, 11, 1), "NEG", "EMO", 0, [on(2025, 9, 1)])
                ],
            )
        ],
    )


def _ep(c: Child) -> Episode:
    return c.episodes[0]


Breaker = Callable[[Child], None]


def _set(target: Callable[[Child], object], **changes: object) -> Breaker:
    def apply(child: Child) -> None:
        obj = target(child)
        for name, value in changes.items():
            setattr(obj, name, value)

    return apply


def _child(**changes: object) -> Breaker:
    return _set(lambda c: c, **changes)


def _episode(**changes: object) -> Breaker:
    return _set(_ep, **changes)


def _assessment(**changes: object) -> Breaker:
    return _set(lambda c: _ep(c).assessments[0], **changes)


def _s47(**changes: object) -> Breaker:
    return _set(lambda c: _ep(c).section47s[0], **changes)


def _cpp(**changes: object) -> Breaker:
    return _set(lambda c: _ep(c).cp_plans[0], **changes)


def _cin_plan(**changes: object) -> Breaker:
    return _set(lambda c: _ep(c).cin_plans[0], **changes)


def _both(*breakers: Breaker) -> Breaker:
    def apply(child: Child) -> None:
        for breaker in breakers:
            breaker(child)

    return apply


def _later_episode(*, open_: bool) -> Breaker:
    """The good child's episode left open, and a later episode (open or closed)."""

    def apply(child: Child) -> None:
        _episode(closure_date=None, closure_reason="")(child)
        later = Episode(referral_date=date(2026, 1, 10), referral_source="6", primary_need="N1")
        if not open_:
            later.closure_date, later.closure_reason = date(2026, 2, 1), "RC7"
        child.episodes.append(later)

    return apply


def _second_open_s47(child: Child) -> None:
    _s47(initial_cpc_date=None)(child)
    _ep(child).section47s.append(Section47(date(2025, 7, 1)))


def _second_open_cp_plan(child: Child) -> None:
    _ep(child).cp_plans.append(CPPlan(date(2025, 9, 1), None, "NEG", "NEG", 0))


def _open_assessment_from(start: date) -> Breaker:
    def apply(child: Child) -> None:
        _ep(child).assessments.append(Assessment(start))

    return apply


def _overlapping_assessment(child: Child) -> None:
    _ep(child).assessments.append(Assessment(date(2025, 6, 10), date(2025, 7, 5), ["4B"]))


def _overlapping_episode(child: Child) -> None:
    child.episodes.append(dataclasses.replace(_ep(child), referral_date=date(2025, 8, 1)))


wrong_letter = "A" if upn_check_letter("?201230000001") != "A" else "B"

# code -> (census year, how to break the good child)
CASES: dict[str, tuple[int, Breaker]] = {
    "8500": (2026, _child(la_child_id="")),
    "LA01": (2026, _child(la_child_id="C-000123")),
    "1510": (2026, _child(upn=wrong_letter + "201230000001")),
    "LA02": (2026, _child(upn="X12345")),
    "LA03": (2026, _child(upn="", upn_unknown="")),
    "8525": (2026, _child(expected_birth_date=date(2015, 3, 4))),
    "8520": (2026, _child(birth_date=date(2026, 4, 1))),
    "8530Q": (2026, _child(birth_date=None, expected_birth_date=date(2027, 1, 15))),
    "8545Q": (2026, _child(death_date=date(2025, 3, 1))),
    "LA05": (2026, _child(birth_date=date(2007, 6, 1))),
    "8535Q": (2026, _child(death_date=date(2014, 1, 1))),
    "1560Q": (2026, _child(former_upn="A12345")),
    "4014": (2026, lambda c: _ep(c).cin_plans.append(CINPlan(date(2025, 11, 15)))),
    "4016": (2026, _cin_plan(start_date=date(2025, 7, 1))),
    "8555": (2026, _child(death_date=date(2025, 6, 1))),
    "8590": (2026, _child(episodes=[])),
    "8775Q": (2026, _child(birth_date=date(2000, 6, 1))),
    "4008": (2026, _child(death_date=date(2025, 11, 1))),
    "4180": (2024, _child(sex="")),
    "8750": (2024, _child(birth_date=None, expected_birth_date=date(2024, 5, 1), sex="1")),
    "8770Q": (2024, _child(upn="", upn_unknown="")),
    "8935": (2026, _both(_cpp(end_date=None), _second_open_cp_plan)),
    "8540": (2026, _child(disabilities=[])),
    "8790": (2026, _child(disabilities=["NONE", "LD"])),
    "8794": (2026, _child(disabilities=["LD", "VIS", "LD"])),
    "8815": (2026, _later_episode(open_=True)),
    "8816": (2026, _later_episode(open_=False)),
    "8606": (2026, _child(birth_date=date(2026, 3, 20))),
    "8820": (2026, _overlapping_episode),
    "8600": (2026, _episode(referral_date=date(2026, 4, 2))),
    "8866": (2026, _episode(referral_source="11")),
    "8610": (2026, _episode(primary_need="")),
    "8650": (2026, _episode(primary_need="N10")),
    "8620": (2026, _episode(closure_date=date(2026, 4, 1))),
    "8640": (2026, _episode(closure_reason="RC10")),
    "8805": (2026, _episode(closure_reason="")),
    "8810": (2026, _episode(closure_date=None)),
    "8630": (2026, _episode(closure_date=date(2025, 6, 1))),
    "8825Q": (2026, _episode(closure_reason="RC8", assessments=[])),
    "8569": (2026, _episode(referral_date=date(2025, 3, 1), referral_nfa=True)),
    "8585Q": (2026, _episode(closure_reason="RC2")),
    "8565": (2026, _assessment(authorisation_date=date(2025, 12, 2))),
    "8831": (2026, _episode(referral_nfa=True)),
    "2990": (2026, _episode(closure_reason="RC8")),
    "8696": (2026, _assessment(start_date=date(2025, 2, 1), authorisation_date=date(2025, 3, 1))),
    "8839": (2026, _second_open_s47),
    "8896": (
        2026,
        _both(
            _assessment(authorisation_date=None, factors=[]),
            _open_assessment_from(date(2025, 9, 1)),
        ),
    ),
    "8873": (2026, _assessment(factors=["21"])),
    "8867": (2026, _assessment(authorisation_date=None, factors=[])),
    "8868": (2026, _s47(initial_cpc_date=None)),
    "8608": (2026, _assessment(authorisation_date=date(2025, 6, 2))),
    "8736": (2026, _assessment(start_date=date(2025, 3, 30), authorisation_date=None, factors=[])),
    "8869": (2026, _assessment(factors=["21", "16A"])),
    "8614": (2026, _assessment(authorisation_date=None)),
    "8670Q": (2026, _assessment(authorisation_date=None, factors=[])),
    "8898": (2026, _assessment(factors=["4B", "16A", "4B"])),
    "8899Q": (2026, _child(disabilities=["LD"])),
    "8617": (2026, _assessment(factors=["8A", "4B"])),
    "8863": (2026, _overlapping_assessment),
    "LA11": (2026, _assessment(start_date=date(2025, 6, 1))),
    "8897Q": (2026, _assessment(factors=[])),
    "8615": (2026, _s47(start_date=date(2025, 6, 21))),
    "8740": (2026, _s47(start_date=date(2025, 3, 1), initial_cpc_date=None)),
    "8675Q": (2026, _s47(initial_cpc_date=None)),
    "8890": (2026, lambda c: _ep(c).section47s.append(Section47(date(2025, 6, 10)))),
    "2884": (2026, _episode(initial_cpc_date=date(2025, 6, 20))),
    "2889": (2026, _s47(start_date=date(2025, 6, 1))),
    "8870Q": (2026, _s47(initial_cpc_target=date(2025, 6, 28))),
    "LA15": (2026, _s47(icpc_not_required=True)),
    "4011": (2026, _cin_plan(end_date=date(2025, 11, 1))),
    "4015": (2026, _cin_plan(start_date=date(2025, 6, 1))),
    "4001": (2026, _both(_cin_plan(end_date=None), _cpp(end_date=None))),
    "4000": (2026, _episode(referral_nfa=True)),
    "4010": (2026, _cin_plan(start_date=None)),
    "4012Q": (2026, _cin_plan(start_date=date(2025, 12, 1))),
    "4013": (2026, _cin_plan(start_date=date(2025, 1, 5), end_date=date(2025, 3, 1))),
    "4017": (2026, _cin_plan(start_date=date(2025, 6, 1), end_date=date(2025, 7, 1))),
    "4003": (2026, _cin_plan(start_date=date(2025, 8, 1))),
    "8720": (2026, _cpp(start_date=date(2026, 4, 2))),
    "2885": (2026, _cpp(start_date=date(2025, 6, 21))),
    "8832": (2026, _episode(referral_nfa=True)),
    "8840": (2026, _cpp(end_date=date(2025, 6, 20))),
    "8925": (2026, _cpp(end_date=date(2025, 6, 19))),
    "8905": (2026, _cpp(initial_category="ABC")),
    "8910": (2026, _cpp(latest_category="")),
    "8915": (2026, _child(death_date=date(2025, 6, 19))),
    "8920": (2026, _child(death_date=date(2025, 10, 1))),
    "8930": (2026, _cpp(start_date=date(2024, 6, 20), end_date=date(2025, 3, 1), review_dates=[])),
    "8940": (2026, lambda c: _ep(c).cp_plans.append(CPPlan(date(2025, 9, 1), date(2025, 10, 1)))),
    "8841": (2026, _cpp(review_dates=[date(2025, 6, 20)])),
    "LA18": (2026, _cpp(review_dates=[date(2025, 11, 2)])),
    "8730": (2026, _cpp(previous_plans=None)),
    "LA20": (2026, _cpp(start_date=date(2023, 6, 20), end_date=None, review_dates=[])),
}


# The DfE's rewording of rules for Sex (2024-25 on), under the GenderCurrent rules' codes.
SEX_CASES: dict[str, tuple[int, Breaker]] = {
    "4180": (2026, _child(sex="1")),
    "8750": (2026, _child(birth_date=None, expected_birth_date=date(2026, 5, 1), sex="F")),
    "8770Q": (2026, _child(upn="", upn_unknown="UN1")),
}


def test_every_rule_has_a_case() -> None:
    header_rules = {r.code for r in RULES if r.module is Module.HEADER}
    assert header_rules == {"100"}  # tested below
    cases = [(code, year) for code, (year, _) in [*CASES.items(), *SEX_CASES.items()]]
    for r in RULES:
        if r.code not in header_rules:
            assert any(c == r.code and r.applies_to(y) for c, y in cases), (r.code, r.years)
    assert {c for c, _ in cases} == {r.code for r in RULES} - header_rules


@pytest.mark.parametrize(
    ("header", "fails"),
    [
        (Header(year=2026, reference_date=date(2026, 3, 31)), False),
        (Header(year=2026, reference_date=date(2026, 3, 30)), True),
        (Header(year=2026, reference_date=None), True),
    ],
)
def test_rule_100_reference_date(header: Header, fails: bool) -> None:
    report = census_validate([good_child()], CensusPeriod.for_year(2026), header)
    assert [f.rule.code for f in report.header_failures] == (["100"] if fails else [])
    assert report.failures == (1 if fails else 0)


@pytest.mark.parametrize("year", [2024, 2026])
def test_the_good_child_passes_every_rule(year: int) -> None:
    period = CensusPeriod.for_year(year)
    assert child_failures(good_child(year), period, rules_for(year)) == []


@pytest.mark.parametrize(
    ("code", "year", "breaker"),
    [(c, y, b) for cases in (CASES, SEX_CASES) for c, (y, b) in sorted(cases.items())],
)
def test_rule_fails_a_broken_child_and_passes_a_good_one(
    code: str, year: int, breaker: Breaker
) -> None:
    period = CensusPeriod.for_year(year)
    rules = [r for r in rules_for(year) if r.code == code]
    assert len(rules) == 1, f"{code} does not apply to {year}"
    assert child_failures(good_child(year), period, rules) == []
    child = good_child(year)
    breaker(child)
    failures = child_failures(child, period, rules)
    assert [f.rule.code for f in failures] == [code]


def _nfa_later_episode(child: Child) -> None:
    _later_episode(open_=True)(child)
    child.episodes[1].referral_nfa = True


# Edges of the rules above: (code, how to change the good child, whether it then fails).
EDGES: list[tuple[str, Breaker, bool]] = [
    # An initial conference with no enquiry start date.
    ("8615", _s47(start_date=None), True),
    ("8615", _s47(start_date=None, initial_cpc_date=None), False),
    # An assessment still open overlaps any that starts before the reference date.
    ("8863", _open_assessment_from(date(2025, 5, 1)), True),
    ("8863", _open_assessment_from(date(2025, 7, 2)), False),
    # The same assessment returned twice is not an overlap.
    (
        "8863",
        lambda c: _ep(c).assessments.append(dataclasses.replace(_ep(c).assessments[0])),
        False,
    ),
    # A conference and "not required" together, or neither, leave the enquiry unfinished.
    ("8868", _s47(icpc_not_required=True), True),
    ("8868", _s47(initial_cpc_date=None, icpc_not_required=True), False),
    (
        "8868",
        _both(_s47(initial_cpc_date=None), _episode(closure_date=None, closure_reason="")),
        False,
    ),
    # A plan that started before the census year is not compared with a conference.
    ("2885", _cpp(start_date=date(2025, 3, 20)), False),
    # A plan started at the episode's own conference (no enquiry).
    (
        "2885",
        _both(_cpp(start_date=date(2025, 6, 22)), _episode(initial_cpc_date=date(2025, 6, 22))),
        False,
    ),
    # Expected birth: 30 days before to 9 months after 31 March, exclusive.
    ("8530Q", _child(birth_date=None, expected_birth_date=date(2026, 3, 1)), True),
    ("8530Q", _child(birth_date=None, expected_birth_date=date(2026, 3, 2)), False),
    ("8530Q", _child(birth_date=None, expected_birth_date=date(2026, 12, 30)), False),
    ("8530Q", _child(birth_date=None, expected_birth_date=date(2026, 12, 31)), True),
    ("8606", _child(birth_date=None, expected_birth_date=date(2026, 3, 20)), True),
    ("8606", _child(birth_date=date(2026, 3, 9)), False),  # exactly 280 days
    # Open referrals with no further action are not open cases, but the open case must
    # still be the latest referral of all.
    ("8815", _nfa_later_episode, False),
    ("8816", _nfa_later_episode, True),
    ("4001", _cin_plan(end_date=None), False),
    ("4001", _cpp(end_date=None), False),
    ("8730", _cpp(previous_plans=-1), True),
    (
        "8740",
        _s47(start_date=date(2025, 3, 1), initial_cpc_date=None, icpc_not_required=True),
        False,
    ),
    ("8841", _cpp(review_dates=[date(2025, 6, 21)]), False),
    ("8832", _episode(referral_nfa=True, cp_plans=[]), False),
    # An unborn child who died before the expected date is not queried; a born child with
    # no date of birth is.
    (
        "8535Q",
        _child(birth_date=None, expected_birth_date=date(2026, 5, 1), death_date=date(2026, 2, 1)),
        False,
    ),
    (
        "8535Q",
        _child(birth_date=None, expected_birth_date=date(2025, 5, 1), death_date=date(2026, 2, 1)),
        True,
    ),
    # An enquiry ended "no conference needed" has no span to overlap.
    (
        "8890",
        lambda c: _ep(c).section47s.insert(0, Section47(date(2025, 6, 1), icpc_not_required=True)),
        False,
    ),
    ("8890", lambda c: _ep(c).section47s.insert(0, Section47(date(2025, 6, 1))), True),
    # The review that ended the protection plan may fall in the CIN plan that followed.
    (
        "4003",
        _both(
            _cin_plan(start_date=date(2025, 11, 1)),
            _cpp(review_dates=[date(2025, 9, 1), date(2025, 11, 1)]),
        ),
        False,
    ),
    (
        "4003",
        _both(
            _cin_plan(start_date=date(2025, 9, 1), end_date=None),
            _cpp(review_dates=[date(2025, 10, 1)]),
        ),
        True,
    ),
    ("8873", _both(_assessment(factors=["21"]), _overlapping_assessment), False),
    ("8873", _both(_assessment(factors=["21"]), _episode(closure_reason="RC8")), False),
    ("8897Q", _assessment(factors=["16A", "99"]), True),
    (
        "8897Q",
        _assessment(start_date=date(2025, 2, 1), authorisation_date=date(2025, 3, 31), factors=[]),
        False,
    ),
    # School age (2024-25 on): born by 31 August four years before the 31 August after.
    ("8770Q", _child(upn="", upn_unknown="UN3"), False),
    ("8770Q", _child(birth_date=date(2022, 8, 31), upn="", upn_unknown="UN1"), True),
    ("8770Q", _child(birth_date=date(2022, 9, 1), upn="", upn_unknown="UN1"), False),
    ("8770Q", _both(_child(upn="", upn_unknown=""), _episode(referral_nfa=True)), False),
    ("1560Q", _child(former_upn="A12345678901B"), True),
    ("1560Q", _child(former_upn="A123456789012"), False),
    # Plans overlap on the other's end day, not the day after; an open plan runs to 31 March.
    ("4014", lambda c: _ep(c).cin_plans.append(CINPlan(date(2025, 12, 1))), True),
    ("4014", lambda c: _ep(c).cin_plans.append(CINPlan(date(2025, 12, 2))), False),
    ("4014", lambda c: _ep(c).cin_plans.insert(0, CINPlan(date(2025, 7, 1))), True),
    # A CIN plan may start the day the protection plan ends, not the day it starts.
    ("4016", _cin_plan(start_date=date(2025, 11, 1)), False),
    ("4016", _cin_plan(start_date=date(2025, 6, 20)), True),
    ("8565", _cpp(end_date=date(2025, 12, 1)), False),
    ("8565", _cpp(end_date=date(2025, 12, 2)), True),
    ("8831", _episode(referral_nfa=True, assessments=[], section47s=[]), False),
    ("8555", _child(death_date=date(2025, 6, 2)), False),
    ("8899Q", _both(_child(disabilities=["LD"]), _assessment(factors=["5A", "16A"])), False),
    ("8899Q", _child(disabilities=["NONE"]), False),
    ("8940", lambda c: _ep(c).cp_plans.append(CPPlan(date(2025, 11, 2))), False),
    ("8940", lambda c: _ep(c).cp_plans.append(CPPlan(date(2025, 11, 1))), True),
    ("8920", _child(death_date=date(2025, 11, 1)), False),
    # A protection plan may start the day a CIN plan ends.
    ("4017", _cin_plan(start_date=date(2025, 6, 1), end_date=date(2025, 6, 20)), False),
    ("4010", _cin_plan(start_date=date(2026, 4, 1), end_date=None), True),
    # 45 working days before 31 March 2026 (Good Friday 3 April is after it): 27 January.
    ("8670Q", lambda c: _ep(c).assessments.append(Assessment(date(2026, 1, 27))), False),
    ("8670Q", lambda c: _ep(c).assessments.append(Assessment(date(2026, 1, 26))), True),
    # 15 working days before 31 March 2026: 10 March.
    ("8675Q", lambda c: _ep(c).section47s.append(Section47(date(2026, 3, 10))), False),
    ("8675Q", lambda c: _ep(c).section47s.append(Section47(date(2026, 3, 9))), True),
    ("8675Q", _s47(initial_cpc_date=None, icpc_not_required=True), False),
    # Over 25, but the episode closed before the 25th birthday.
    ("8775Q", _child(birth_date=date(2000, 12, 2)), False),
    ("8775Q", _child(birth_date=date(2000, 11, 30)), True),
    # 1 April 2025 less one working day is Monday 31 March.
    ("8569", _episode(referral_date=date(2025, 3, 31), referral_nfa=True), False),
    ("8569", _episode(referral_date=date(2025, 3, 28), referral_nfa=True), True),
    ("8585Q", _both(_episode(closure_reason="RC2"), _child(death_date=date(2025, 11, 30))), False),
    ("8870Q", _s47(initial_cpc_target=date(2025, 6, 27)), False),
    # Open protection plans in two episodes still make two.
    (
        "8935",
        lambda c: c.episodes.append(
            dataclasses.replace(_ep(c), cp_plans=[CPPlan(date(2026, 1, 5))])
        ),
        False,
    ),
    (
        "8935",
        _both(
            _cpp(end_date=None),
            lambda c: c.episodes.append(
                dataclasses.replace(_ep(c), cp_plans=[CPPlan(date(2026, 1, 5))])
            ),
        ),
        True,
    ),
]


@pytest.mark.parametrize(("code", "breaker", "fails"), EDGES)
def test_rule_edges(code: str, breaker: Breaker, fails: bool) -> None:
    period = CensusPeriod.for_year(2026)
    rules = [r for r in rules_for(2026) if r.code == code]
    child = good_child()
    breaker(child)
    assert [f.rule.code for f in child_failures(child, period, rules)] == ([code] if fails else [])


def test_gender_rules_only_before_sex_and_sex_rules_only_after() -> None:
    def fields(year: int) -> set[str]:
        return {f for r in rules_for(year) if r.code in {"4180", "8750"} for f in r.fields}

    assert "GenderCurrent" in fields(2024)
    assert "Sex" not in fields(2024)
    assert "Sex" in fields(2025)
    assert "GenderCurrent" not in fields(2025)
    # One rule per code in any year.
    for year in (2024, 2025):
        codes = [r.code for r in rules_for(year)]
        assert len(codes) == len(set(codes))


def test_council_rules_are_marked_and_dfe_codes_are_numeric() -> None:
    for r in RULES:
        assert r.is_council_rule or r.code.removesuffix("Q").isdigit(), r.code
        # The DfE marks its query rules with a Q, and only those.
        assert r.is_council_rule or r.code.endswith("Q") == r.query, r.code


def test_report_lists_failures_per_child_with_where() -> None:
    broken = good_child()
    broken.la_child_id = "C000999"
    _assessment(factors=[])(broken)
    _episode(primary_need="")(broken)
    report = census_validate([good_child(), broken], CensusPeriod.for_year(2026))
    assert report.children_checked == 2
    assert [c.la_child_id for c in report.children] == ["C000999"]
    found = {(f.rule.code, f.where) for f in report.children[0].failures}
    assert found == {
        ("8610", "Referral of 02/06/2025"),
        ("8897Q", "Referral of 02/06/2025: assessment started 03/06/2025"),
    }
    assert dict(report.by_rule) == {"8610": 1, "8897Q": 1}


def test_upn_check_letter_matches_the_dfe_example() -> None:
    # The DfE validator's own example fails 1510: its check letter is not W.
    assert upn_check_letter("W351201321005") != "W"
    assert valid_upn("000000000000") == "A000000000000"
