"""The synthetic council's inspection history: what the brief asks for, and the same every
time for the same seed and day."""

from __future__ import annotations

from datetime import date

import pytest

from evident.inspection import selectors
from evident.inspection.models import Action, Activity, Finding, Judgement, Meeting
from evident.inspection.rules import Rag
from evident.synthetic.inspection import seed_inspection_history

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 11, 27)


def _snapshot() -> list[tuple[object, ...]]:
    return [
        *Activity.objects.order_by("starts_on", "kind").values_list(
            "kind", "starts_on", "inspectors"
        ),
        *Action.objects.order_by("title").values_list("title", "due_on", "status", "completed_on"),
        *Meeting.objects.order_by("held_on", "board__name").values_list("board__name", "held_on"),
    ]


def test_history_has_an_inspection_a_focused_visit_a_late_plan_and_monthly_boards():
    counts = seed_inspection_history(until=UNTIL, seed=42)
    inspection = Activity.objects.get(kind=Activity.Kind.STANDARD)
    assert 700 <= (UNTIL - inspection.starts_on).days <= 736
    # Graded under the framework in force then: care leavers separate, overall kept.
    assert set(Judgement.objects.values_list("area", flat=True)) == {
        "overall",
        "leaders",
        "help_protection",
        "children_in_care",
        "care_leavers",
    }
    visit = Activity.objects.get(kind=Activity.Kind.FOCUSED_VISIT)
    assert visit.findings.filter(kind=Finding.Kind.PRIORITY_ACTION).count() == 2
    plan = selectors.plan(today=UNTIL)
    rated = [a for p in plan for a in p.actions]
    assert len(rated) == counts["actions"] == 14
    assert any(r.rag is Rag.RED for r in rated), "some actions are late"
    assert any(r.rag is Rag.COMPLETE for r in rated)
    improvement = Meeting.objects.filter(board__kind="improvement")
    assert improvement.count() >= 10  # monthly since the visit's letter
    window = selectors.next_window()
    assert window is not None
    assert window.grade == 3


def test_history_is_deterministic():
    seed_inspection_history(until=UNTIL, seed=42)
    first = _snapshot()
    for model in (Meeting, Action, Finding, Judgement, Activity):
        model.objects.all().delete()
    from evident.inspection.models import (
        Board,
        IndicatorTarget,
        PlanSettings,
        Priority,
        SelfEvaluation,
    )

    for other in (Board, Priority, IndicatorTarget, PlanSettings, SelfEvaluation):
        other.objects.all().delete()
    seed_inspection_history(until=UNTIL, seed=42)
    assert _snapshot() == first
