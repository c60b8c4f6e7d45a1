"""Annex A Lists 3-7: exact headings (reference.md §1.2), who is on each list for the
window, the derived columns (§1.4, §1.3.7) and the codes written as the template's labels.

Casework records are made directly (no services, no audit), as the List 1 and 2 tests do
with front-door records, so each test states exactly the dates it is about."""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from evident.accounts.models import Team
from evident.accounts.roles import Role
from evident.accounts.services import team_get_or_create
from evident.casework.models import (
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    Conference,
    EmergencyProtection,
    Episode,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.core.codes import CATEGORY_OF_ABUSE_ANNEX_A, CaseStatus
from evident.people.models import Person, PersonDisability
from evident.performance.annex_a import annex_a_lists
from evident.performance.annex_a.casework_lists import LIST_3, LIST_4, LIST_5, LIST_6, LIST_7
from evident.performance.annex_a.derived import earlier_within_12_months, within_12_months_to
from evident.performance.annex_a.writer import annex_a_workbook_write

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 27)  # the window is 27 September 2025 to 27 March 2026
_numbers = itertools.count(1)
COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ["Allocated Team", "Allocated Worker"]

# reference.md §1.2, copied from its text.
HEADINGS = {
    3: [
        *COMMON,
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *ALLOCATED,
    ],
    4: [
        *COMMON,
        DISABILITY,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    ],
    5: [
        *COMMON,
        DISABILITY,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *ALLOCATED,
    ],
    6: [
        *COMMON,
        DISABILITY,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    ],
    7: [
        *COMMON,
        DISABILITY,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *ALLOCATED,
    ],
}


class Casework:
    """Makes children, episodes and steps directly."""

    def __init__(self, worker: Any, team: Team):
        self.worker = worker
        self.team = team

    def child(self, council_id: str | None = None, **fields: Any) -> Person:
        n = next(_numbers)
        fields.setdefault("date_of_birth", date(2015, 5, 20))
        fields.setdefault("gender", "male")
        fields.setdefault("ethnicity", "WBRI")
        return Person.objects.create(
            council_id=council_id or f"CW{n:06d}",
            first_name="Test",
            last_name=f"Child{n}",
            **fields,
        )

    def episode(self, child: Person, referred: date, **fields: Any) -> Episode:
        fields.setdefault("referral_source", "6")
        fields.setdefault("worker", self.worker)
        return Episode.objects.create(
            person=child,
            referral_date=referred,
            team=self.team,
            created_by=self.worker,
            created_at=timezone.now(),
            **fields,
        )

    def step(self, model: Any, episode: Episode, **fields: Any) -> Any:
        return model.objects.create(
            episode=episode, recorded_by=self.worker, recorded_at=timezone.now(), **fields
        )

    def assessment(self, episode: Episode, start: date, **fields: Any) -> Assessment:
        fields.setdefault("due_date", start)
        return self.step(Assessment, episode, start_date=start, **fields)  # type: ignore[no-any-return]

    def visit(self, episode: Episode, on: date, purpose: str, **fields: Any) -> Visit:
        fields.setdefault("child_seen", True)
        return self.step(Visit, episode, visited_on=on, purpose=purpose, **fields)  # type: ignore[no-any-return]

    def enquiry(self, episode: Episode, on: date, **fields: Any) -> Section47:
        discussion = self.step(
            StrategyDiscussion,
            episode,
            held_on=on,
            decision=StrategyDiscussion.Decision.SECTION_47,
            rationale="Concerns",
        )
        return self.step(  # type: ignore[no-any-return]
            Section47,
            episode,
            strategy_discussion=discussion,
            start_date=on,
            conference_due=on,
            **fields,
        )

    def icpc(self, enquiry: Section47, on: date, *, plan_made: bool = True) -> Conference:
        return self.step(  # type: ignore[no-any-return]
            Conference,
            enquiry.episode,
            kind=Conference.Kind.INITIAL,
            section47=enquiry,
            due_date=on,
            held_on=on,
            plan_made=plan_made,
            decision_rationale="Decided",
        )

    def plan(self, episode: Episode, start: date, **fields: Any) -> ChildProtectionPlan:
        fields.setdefault("initial_category", "NEG")
        fields.setdefault("latest_category", fields["initial_category"])
        return self.step(ChildProtectionPlan, episode, start_date=start, **fields)  # type: ignore[no-any-return]


@pytest.fixture
def casework(make_user: Any) -> Casework:
    worker = make_user("worker", Role.SOCIAL_WORKER)
    worker.first_name, worker.last_name = "Sam", "Social"
    worker.save()
    team = team_get_or_create(name="Safeguarding East", kind=Team.Kind.DUTY_ASSESSMENT)
    return Casework(worker, team)


def sheet_rows(number: int, as_of: date = AS_OF) -> list[list[Any]]:
    """Write the workbook and read one list back, headings first."""
    buffer = io.BytesIO()
    annex_a_workbook_write(as_of=as_of, out=buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))[f"List {number}"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def column(number: int, heading: str, as_of: date = AS_OF) -> list[Any]:
    rows = sheet_rows(number, as_of)
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


# The workbook ------------------------------------------------------------------------------


def test_the_workbook_has_lists_1_to_7_in_order(casework):
    buffer = io.BytesIO()
    result = annex_a_workbook_write(as_of=AS_OF, out=buffer)
    assert load_workbook(io.BytesIO(buffer.getvalue())).sheetnames == [
        f"List {n}" for n in range(1, 8)
    ]
    assert list(result.rows) == [f"List {n}" for n in range(1, 8)]


@pytest.mark.parametrize("number", [3, 4, 5, 6, 7])
def test_headings_are_the_templates_in_order(casework, number):
    definition = {3: LIST_3, 4: LIST_4, 5: LIST_5, 6: LIST_6, 7: LIST_7}[number]
    assert definition.headings == HEADINGS[number]
    assert annex_a_lists()[number - 1] is definition
    assert sheet_rows(number) == [HEADINGS[number]]


def test_the_workbook_is_a_fixed_number_of_queries_however_many_rows(
    casework, django_assert_num_queries
):
    for _ in range(20):
        episode = casework.episode(casework.child(), date(2026, 1, 5))
        casework.assessment(episode, date(2026, 1, 6))
        casework.visit(episode, date(2026, 1, 7), Visit.Purpose.ASSESSMENT)
        enquiry = casework.enquiry(episode, date(2026, 1, 8))
        casework.icpc(enquiry, date(2026, 1, 20))
        casework.plan(episode, date(2026, 1, 20))
    # Lists 1-2: one each; 3: two; 4: two; 5: three; 6: two; 7: four.
    with django_assert_num_queries(15):
        result = annex_a_workbook_write(as_of=AS_OF, out=io.BytesIO())
    assert result.rows == {
        "List 1": 0,
        "List 2": 0,
        "List 3": 20,
        "List 4": 20,
        "List 5": 20,
        "List 6": 20,
        "List 7": 20,
    }


# List 3 ------------------------------------------------------------------------------------


def test_a_referral_row(casework):
    child = casework.child("REF-1", date_of_birth=date(2012, 4, 1))
    casework.episode(child, date(2026, 2, 2), referral_source="2A")
    assert sheet_rows(3)[1] == [
        "REF-1",
        "a) Male",
        "a) WBRI",
        datetime(2012, 4, 1),
        13,
        datetime(2026, 2, 2),
        "e) 2A: Schools",
        "b) No",
        0,
        "Safeguarding East",
        "Sam Social",
    ]


def test_list_3_is_every_referral_in_the_window_once_per_referral(casework):
    twice = casework.child("TWICE")
    casework.episode(twice, date(2025, 9, 27))
    casework.episode(twice, date(2026, 3, 27))
    casework.episode(casework.child("TOO-EARLY"), date(2025, 9, 26))
    casework.episode(casework.child("AFTER"), date(2026, 3, 28))
    assert column(3, "Child Unique ID") == ["TWICE", "TWICE"]


def test_referrals_in_the_last_12_months_count_earlier_ones_not_this_one(casework):
    child = casework.child("RE-REFERRED")
    casework.episode(child, date(2025, 3, 26))  # 12 months and a day before: not counted
    casework.episode(child, date(2025, 3, 27))  # exactly 12 months before: counted
    casework.episode(child, date(2025, 11, 1))
    casework.episode(child, date(2026, 3, 27))
    # 1 November 2025: 26 and 27 March 2025 are within the year before it. 27 March 2026:
    # 27 March 2025 (exactly a year before) and 1 November 2025; 26 March 2025 is not.
    assert column(3, "Number of Referrals in Last 12 Months") == [2, 2]


def test_referral_nfa_is_yes_only_once_closed_as_no_further_action(casework):
    closed_nfa = casework.episode(
        casework.child("NFA"),
        date(2026, 1, 5),
        closed_on=date(2026, 2, 1),
        closure_reason="RC8",
        referral_nfa=True,
    )
    casework.episode(
        casework.child("LATER-NFA"),
        date(2026, 1, 6),
        closed_on=date(2026, 4, 1),
        closure_reason="RC8",
        referral_nfa=True,
    )
    casework.episode(casework.child("OPEN"), date(2026, 1, 7))
    assert closed_nfa.referral_nfa
    assert column(3, "Referral NFA?") == ["a) Yes", "b) No", "b) No"]


def test_an_unallocated_referral_leaves_the_worker_blank(casework):
    casework.episode(casework.child(), date(2026, 1, 5), worker=None)
    assert column(3, "Allocated Worker") == [None]
    assert column(3, "Allocated Team") == ["Safeguarding East"]


def test_allocation_is_the_one_held_at_the_end_of_the_as_of_day(casework, make_user):
    from evident.casework.models import Allocation
    from evident.performance.periods import start_of_day

    later = make_user("later", Role.SOCIAL_WORKER)
    later.first_name, later.last_name = "Lee", "Later"
    later.save()
    other_team = team_get_or_create(name="Child in Need North", kind=Team.Kind.CIN_CP)
    episode = casework.episode(casework.child(), date(2026, 1, 5), worker=later)
    Episode.objects.filter(pk=episode.pk).update(team=other_team)  # the current allocation
    Allocation.objects.create(
        episode=episode,
        team=casework.team,
        worker=casework.worker,
        started_at=start_of_day(date(2026, 1, 5)),
        ended_at=start_of_day(date(2026, 3, 28)),  # handed over the day after the as-of date
        allocated_by=casework.worker,
    )
    Allocation.objects.create(
        episode=episode,
        team=other_team,
        worker=later,
        started_at=start_of_day(date(2026, 3, 28)),
        allocated_by=casework.worker,
    )
    assert column(3, "Allocated Team") == ["Safeguarding East"]
    assert column(3, "Allocated Worker") == ["Sam Social"]
    assert column(3, "Allocated Team", as_of=date(2026, 3, 28)) == ["Child in Need North"]
    assert column(3, "Allocated Worker", as_of=date(2026, 3, 28)) == ["Lee Later"]


def test_without_allocation_history_the_current_allocation_is_shown(casework):
    casework.episode(casework.child(), date(2026, 1, 5))
    assert column(3, "Allocated Team") == ["Safeguarding East"]
    assert column(3, "Allocated Worker") == ["Sam Social"]


# List 4 ------------------------------------------------------------------------------------


def test_an_assessment_row(casework):
    child = casework.child("ASS-1")
    PersonDisability.objects.create(person=child, code="AUT")
    episode = casework.episode(child, date(2026, 1, 5))
    casework.assessment(
        episode,
        date(2026, 1, 6),
        outcome=Assessment.Outcome.CIN_PLAN,
        completed_on=date(2026, 2, 1),
        authorised_on=date(2026, 2, 3),
    )
    casework.visit(episode, date(2026, 1, 10), Visit.Purpose.ASSESSMENT)
    assert sheet_rows(4)[1] == [
        "ASS-1",
        "a) Male",
        "a) WBRI",
        datetime(2015, 5, 20),
        10,
        "a) Yes",
        datetime(2026, 1, 6),
        "a) Yes",
        datetime(2026, 2, 3),
        "a) Yes",
        "Safeguarding East",
        "Sam Social",
    ]


def test_list_4_is_every_assessment_under_way_in_the_window(casework):
    def assessed(name: str, start: date, authorised: date | None) -> None:
        episode = casework.episode(casework.child(name), start)
        fields = {"outcome": "nfa", "completed_on": authorised} if authorised else {}
        casework.assessment(episode, start, authorised_on=authorised, **fields)

    assessed("DONE-BEFORE", date(2025, 8, 1), date(2025, 9, 26))
    assessed("DONE-IN-WINDOW", date(2025, 8, 2), date(2025, 9, 27))
    assessed("STILL-OPEN", date(2025, 5, 1), None)
    assessed("STARTED-IN", date(2026, 3, 27), None)
    assessed("AFTER", date(2026, 3, 28), None)
    assert column(4, "Child Unique ID") == ["STILL-OPEN", "DONE-IN-WINDOW", "STARTED-IN"]


def test_seen_during_assessment_authorisation_and_support(casework):
    child = casework.child("SEEN")
    episode = casework.episode(child, date(2026, 1, 5))
    casework.assessment(episode, date(2026, 1, 6), outcome="nfa", completed_on=date(2026, 4, 1))
    # Seen but not alone, on an assessment visit: seen. A plan visit does not count.
    casework.visit(episode, date(2026, 1, 8), Visit.Purpose.ASSESSMENT, seen_alone=False)
    unseen = casework.episode(casework.child("NOT-SEEN"), date(2026, 1, 5))
    casework.assessment(
        unseen,
        date(2026, 1, 7),
        outcome="nfa",
        completed_on=date(2026, 2, 1),
        authorised_on=date(2026, 2, 2),
    )
    casework.visit(unseen, date(2026, 1, 9), Visit.Purpose.ASSESSMENT, child_seen=False)
    casework.visit(unseen, date(2026, 1, 9), Visit.Purpose.CIN_PLAN)
    casework.visit(unseen, date(2026, 2, 3), Visit.Purpose.ASSESSMENT)  # after authorisation
    rows = sheet_rows(4)[1:]
    assert [r[0] for r in rows] == ["SEEN", "NOT-SEEN"]
    assert [r[7] for r in rows] == ["a) Yes", "b) No"]
    # Not authorised by the as-of date: no authorisation date and no answer yet.
    assert [r[8] for r in rows] == [None, datetime(2026, 2, 2)]
    assert [r[9] for r in rows] == [None, "b) No"]


def test_disability_no_and_unknown(casework):
    none = casework.child("NONE")
    PersonDisability.objects.create(person=none, code="NONE")
    for child in (none, casework.child("UNRECORDED")):
        casework.assessment(casework.episode(child, date(2026, 1, 5)), date(2026, 1, 5))
    assert column(4, DISABILITY) == ["b) No", "c) Unknown"]


# List 5 ------------------------------------------------------------------------------------


def test_a_section_47_row(casework):
    episode = casework.episode(casework.child("S47-1"), date(2026, 1, 5))
    enquiry = casework.enquiry(
        episode, date(2026, 1, 6), outcome="icpc", completed_on=date(2026, 1, 20)
    )
    casework.icpc(enquiry, date(2026, 1, 27))
    assert sheet_rows(5)[1][5:] == [
        "c) Unknown",
        datetime(2026, 1, 6),
        "b) No",
        datetime(2026, 1, 27),
        "a) Yes",
        0,
        1,
        "Safeguarding East",
        "Sam Social",
    ]


def test_list_5_is_enquiries_started_in_the_window_plus_open_ones(casework):
    casework.enquiry(
        casework.episode(casework.child("CLOSED-BEFORE"), date(2025, 8, 1)),
        date(2025, 8, 1),
        outcome="unsubstantiated",
        completed_on=date(2025, 9, 1),
    )
    casework.enquiry(
        casework.episode(casework.child("STILL-OPEN"), date(2025, 8, 2)), date(2025, 8, 2)
    )
    casework.enquiry(
        casework.episode(casework.child("FIRST-DAY"), date(2025, 9, 27)),
        date(2025, 9, 27),
        outcome="no_icpc",
        completed_on=date(2025, 10, 1),
        conference_not_required=True,
    )
    casework.enquiry(
        casework.episode(casework.child("AFTER"), date(2026, 3, 28)), date(2026, 3, 28)
    )
    rows = sheet_rows(5)[1:]
    assert [r[0] for r in rows] == ["STILL-OPEN", "FIRST-DAY"]
    # Open: the conference question is not answered yet; then "deemed unnecessary".
    assert [r[7] for r in rows] == [None, "a) Yes"]
    assert [r[8] for r in rows] == [None, None]
    assert [r[9] for r in rows] == [None, None]


def test_section_47_and_icpc_counts_over_12_months(casework):
    child = casework.child("REPEAT")
    old = casework.enquiry(
        casework.episode(child, date(2025, 1, 1)),
        date(2025, 1, 2),
        outcome="icpc",
        completed_on=date(2025, 1, 10),
    )
    casework.icpc(old, date(2025, 1, 10), plan_made=False)  # over 12 months before
    recent = casework.enquiry(
        casework.episode(child, date(2025, 6, 1)),
        date(2025, 6, 2),
        outcome="icpc",
        completed_on=date(2025, 6, 10),
    )
    casework.icpc(recent, date(2025, 6, 16), plan_made=False)
    episode = casework.episode(child, date(2026, 2, 1))
    current = casework.enquiry(
        episode, date(2026, 2, 2), outcome="icpc", completed_on=date(2026, 2, 10)
    )
    casework.icpc(current, date(2026, 2, 16))
    rows = sheet_rows(5)[1:]
    current_row = rows[-1]
    # One earlier enquiry in the 12 months before 2 February 2026 (2 June 2025), not itself.
    assert current_row[10] == 1
    # Initial conferences in the 12 months up to its own: 16 June 2025 and 16 February 2026.
    assert current_row[11] == 2


# List 6 ------------------------------------------------------------------------------------


def test_a_child_in_need_row(casework):
    episode = casework.episode(
        casework.child("CIN-1"),
        date(2025, 11, 3),
        primary_need="N4",
        closed_on=date(2026, 3, 1),
        closure_reason="RC7",
    )
    casework.assessment(episode, date(2025, 11, 4))
    casework.visit(episode, date(2025, 12, 1), Visit.Purpose.CIN_PLAN)
    casework.visit(episode, date(2026, 1, 5), Visit.Purpose.CIN_PLAN, child_seen=False)
    assert sheet_rows(6)[1][5:] == [
        "c) Unknown",
        datetime(2025, 11, 3),
        "N4 - Family in acute stress",
        datetime(2025, 12, 1),
        datetime(2026, 3, 1),
        "RC7 - Services ceased for any other reason, including child no longer in need",
        "e) Closed episode",
        "Safeguarding East",
        "Sam Social",
    ]


def test_list_6_is_assessed_episodes_open_in_the_window(casework):
    def episode(name: str, referred: date, closed: date | None, *, assessed: bool = True) -> None:
        made = casework.episode(
            casework.child(name),
            referred,
            closed_on=closed,
            closure_reason="RC7" if closed else "",
            primary_need="N1",
        )
        if assessed:
            casework.assessment(made, referred)

    episode("CLOSED-BEFORE", date(2025, 1, 1), date(2025, 9, 26))
    episode("CLOSED-FIRST-DAY", date(2025, 1, 2), date(2025, 9, 27))
    episode("LONG-OPEN", date(2024, 1, 1), None)
    episode("REFERRAL-ONLY", date(2026, 1, 1), None, assessed=False)
    episode("AFTER", date(2026, 3, 28), None)
    assert column(6, "Child Unique ID") == ["LONG-OPEN", "CLOSED-FIRST-DAY"]


def test_case_status_precedence_on_the_as_of_date(casework: Casework) -> None:
    def episode(name: str, **fields: Any) -> Episode:
        made = casework.episode(
            casework.child(name), date(2025, 10, 1), primary_need="N1", **fields
        )
        casework.assessment(made, date(2025, 10, 2))
        return made

    both = episode("CP-AND-CIN")
    casework.plan(both, date(2025, 11, 1))
    casework.step(CINPlan, both, start_date=date(2025, 10, 10))
    cin = episode("CIN")
    casework.step(CINPlan, cin, start_date=date(2025, 10, 10))
    casework.plan(cin, date(2025, 10, 20), end_date=date(2026, 3, 27))  # ended on the day
    episode("ASSESSING")
    closed = episode("CLOSED", closed_on=date(2026, 3, 1), closure_reason="RC7")
    casework.plan(closed, date(2025, 11, 1))  # still open: closure comes first
    later = episode("PLAN-LATER")
    casework.step(CINPlan, later, start_date=date(2026, 3, 28))
    statuses = dict(zip(column(6, "Child Unique ID"), column(6, "Case Status"), strict=True))
    assert statuses == {
        "CP-AND-CIN": CaseStatus.CP_PLAN.label,
        "CIN": CaseStatus.CIN_PLAN.label,
        "ASSESSING": CaseStatus.OPEN_ASSESSMENT.label,
        "CLOSED": CaseStatus.CLOSED.label,
        "PLAN-LATER": CaseStatus.OPEN_ASSESSMENT.label,
    }
    assert CaseStatus.CP_PLAN.label == "b) Child Protection plan"


def test_closure_after_the_as_of_date_is_not_shown(casework):
    episode = casework.episode(
        casework.child(), date(2026, 1, 1), closed_on=date(2026, 4, 1), closure_reason="RC8"
    )
    casework.assessment(episode, date(2026, 1, 2))
    assert sheet_rows(6)[1][9:12] == [None, None, "d) Open assessment"]


# List 7 ------------------------------------------------------------------------------------


def test_a_child_protection_row(casework):
    child = casework.child("CP-1")
    episode = casework.episode(child, date(2025, 9, 1))
    plan = casework.plan(episode, date(2025, 10, 1), initial_category="PHY", latest_category="MUL")
    casework.visit(episode, date(2026, 3, 1), Visit.Purpose.CP_PLAN, seen_alone=True)
    casework.visit(episode, date(2026, 3, 10), Visit.Purpose.CIN_PLAN)  # not statutory
    for held in (date(2025, 12, 20), date(2026, 3, 28)):
        casework.step(
            Conference,
            episode,
            kind=Conference.Kind.REVIEW,
            plan=plan,
            due_date=held,
            held_on=held,
            plan_made=True,
            decision_rationale="Continues",
        )
    casework.step(
        EmergencyProtection,
        episode,
        kind="epo",
        start_date=date(2025, 9, 1),
        end_date=date(2025, 9, 8),
    )
    assert sheet_rows(7)[1][5:] == [
        "c) Unknown",
        datetime(2025, 10, 1),
        "b) Physical abuse",
        "e) Multiple/not recommended",
        datetime(2026, 3, 1),
        "a) Yes",
        datetime(2025, 12, 20),
        None,
        "b) No",  # ended 8 September 2025: before 27 September
        0,
        "Safeguarding East",
        "Sam Social",
    ]


def test_list_7_is_plans_open_on_the_as_of_date_plus_plans_ended_in_the_window(casework):
    def plan(name: str, start: date, end: date | None) -> None:
        casework.plan(casework.episode(casework.child(name), start), start, end_date=end)

    plan("ENDED-BEFORE", date(2025, 1, 1), date(2025, 9, 26))
    plan("ENDED-FIRST-DAY", date(2025, 1, 2), date(2025, 9, 27))
    plan("OPEN", date(2024, 6, 1), None)
    plan("ENDS-LATER", date(2026, 1, 1), date(2026, 5, 1))
    plan("STARTS-LATER", date(2026, 3, 28), None)
    rows = sheet_rows(7)[1:]
    assert [r[0] for r in rows] == ["OPEN", "ENDED-FIRST-DAY", "ENDS-LATER"]
    # An end after the as-of date is not shown.
    assert [r[12] for r in rows] == [None, datetime(2025, 9, 27), None]


def test_previous_plans_count_the_childs_earlier_plans_on_any_episode(casework):
    child = casework.child("THIRD-PLAN")
    first = casework.episode(
        child, date(2023, 1, 1), closed_on=date(2023, 12, 1), closure_reason="RC7"
    )
    casework.plan(first, date(2023, 2, 1), end_date=date(2023, 11, 1))
    casework.plan(first, date(2023, 11, 2), end_date=date(2023, 11, 30))
    current = casework.episode(child, date(2025, 12, 1))
    casework.plan(current, date(2026, 1, 5))
    casework.plan(
        casework.episode(casework.child("FIRST-PLAN"), date(2026, 1, 1)), date(2026, 1, 6)
    )
    counts = dict(
        zip(
            column(7, "Child Unique ID"),
            column(7, "Number of Previous Child Protection Plans"),
            strict=True,
        )
    )
    assert counts == {"THIRD-PLAN": 2, "FIRST-PLAN": 0}


def test_emergency_protection_in_the_last_six_months_on_any_episode(casework):
    child = casework.child("EPO")
    earlier = casework.episode(child, date(2025, 9, 1))
    # Police protection that ended on the window's first day, on an earlier episode.
    casework.step(
        EmergencyProtection,
        earlier,
        kind="police",
        start_date=date(2025, 9, 25),
        end_date=date(2025, 9, 27),
    )
    casework.plan(casework.episode(child, date(2025, 10, 1)), date(2025, 10, 10))
    casework.plan(casework.episode(casework.child("NONE"), date(2025, 10, 1)), date(2025, 10, 11))
    assert column(7, HEADINGS[7][13]) == ["a) Yes", "b) No"]


def test_last_statutory_visit_is_within_the_plan(casework):
    episode = casework.episode(casework.child(), date(2025, 9, 1))
    casework.plan(episode, date(2025, 10, 1), end_date=date(2026, 1, 31))
    casework.visit(episode, date(2026, 1, 20), Visit.Purpose.CP_PLAN, child_seen=False)
    casework.visit(episode, date(2026, 2, 10), Visit.Purpose.CP_PLAN)  # after the plan ended
    row = sheet_rows(7)[1]
    assert row[9:11] == [datetime(2026, 1, 20), "b) No"]


def test_category_labels_are_the_templates():
    assert list(CATEGORY_OF_ABUSE_ANNEX_A.values()) == [
        "a) Neglect",
        "b) Physical abuse",
        "c) Sexual abuse",
        "d) Emotional abuse",
        "e) Multiple/not recommended",
    ]


# The 12-month counts -----------------------------------------------------------------------


def test_twelve_month_counts_at_the_edges():
    days = [date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 27), date(2025, 2, 28)]
    # 28 February 2025 less a year is 28 February 2024: both 2024 dates are in.
    assert earlier_within_12_months(days, date(2025, 2, 28)) == 3
    assert within_12_months_to(days, date(2025, 2, 28)) == 4
    assert earlier_within_12_months(days, date(2025, 3, 1)) == 2  # from 1 March 2024
    assert earlier_within_12_months([], date(2025, 3, 1)) == 0


def test_every_code_written_is_one_of_its_lists_labels(casework):
    child = casework.child("ALL-CODES")
    PersonDisability.objects.create(person=child, code="NONE")
    episode = casework.episode(
        child,
        date(2025, 12, 1),
        referral_source="5D",
        primary_need="N9",
        closed_on=date(2026, 3, 20),
        closure_reason="RC9",
        referral_nfa=False,
    )
    casework.assessment(
        episode,
        date(2025, 12, 2),
        outcome="early_help",
        completed_on=date(2025, 12, 20),
        authorised_on=date(2025, 12, 21),
    )
    enquiry = casework.enquiry(
        episode, date(2025, 12, 3), outcome="icpc", completed_on=date(2025, 12, 10)
    )
    casework.icpc(enquiry, date(2025, 12, 15))
    casework.plan(
        episode,
        date(2025, 12, 15),
        initial_category="SAB",
        latest_category="EMO",
        end_date=date(2026, 3, 1),
    )
    casework.visit(episode, date(2026, 1, 2), Visit.Purpose.CP_PLAN)
    buffer = io.BytesIO()
    result = annex_a_workbook_write(as_of=AS_OF, out=buffer)
    assert {sheet.sheet: sheet.problems for sheet in result.sheets} == {
        f"List {n}": {} for n in range(1, 8)
    }
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    for number, definition in enumerate(annex_a_lists()[2:7], start=3):
        [row] = [[c.value for c in r] for r in workbook[f"List {number}"].iter_rows(min_row=2)]
        for index, col in enumerate(definition.columns):
            if col.labels is not None and row[index] is not None:
                assert row[index] in col.labels.values(), (number, col.heading, row[index])
    assert column(3, "Referral Source") == ["p1) 5D: LA services"]
    assert column(6, "Reason for Closure") == [
        "RC9 - Case closed after assessment, referred to early help"
    ]
    assert column(7, "Initial Category of Abuse") == ["c) Sexual abuse"]
    assert column(7, "Latest Category of Abuse") == ["d) Emotional abuse"]
