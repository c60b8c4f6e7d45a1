"""Writes: notification day, the frozen Annex A, findings, the plan, targets, the
self-evaluation. Bad dates are refused with field-named messages and nothing is saved."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from evident.audit.models import AuditEvent
from evident.inspection import selectors, services
from evident.inspection.models import (
    Action,
    Activity,
    AnnexAFreeze,
    ChecklistItem,
    Finding,
    Judgement,
    Priority,
    SelfEvaluationVersion,
)
from evident.inspection.rules import Rag

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def test_notification_starts_the_countdown_checklist_and_freezes_annex_a(leader):
    activity = services.notification_record(actor=leader, kind="short", notified_on=MONDAY)
    assert activity.starts_on == date(2026, 3, 9)  # five working days
    assert selectors.countdown(activity, today=MONDAY) == 5
    assert selectors.countdown(activity, today=date(2026, 3, 6)) == 1
    assert selectors.countdown(activity, today=date(2026, 3, 9)) is None
    items = list(activity.checklist.all())
    assert next(i.title for i in items) == "Annex A produced and checked"
    assert len(items) == len(services.DEFAULT_CHECKLIST)
    assert items[0].due_on == MONDAY
    assert items[1].due_on == date(2026, 3, 3)
    freeze = AnnexAFreeze.objects.get(activity=activity)
    content = bytes(freeze.content)
    assert freeze.sha256 == hashlib.sha256(content).hexdigest()
    assert freeze.as_of == MONDAY
    assert freeze.size == len(content)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert len(workbook.sheetnames) >= 1
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, record_type="performance.annex_a"
    ).exists()


def test_frozen_annex_a_is_never_remade(leader):
    activity = services.notification_record(actor=leader, kind="standard", notified_on=MONDAY)
    with pytest.raises(ValidationError, match="already frozen"):
        services.annex_a_freeze(actor=leader, activity=activity)


def test_the_checklist_comes_from_the_councils_template(leader):
    services.checklist_template_items()
    services.checklist_template_item_add(
        actor=leader, title="Car park passes", owner="Facilities", due_working_days=2
    )
    activity = services.notification_record(actor=leader, kind="short", notified_on=MONDAY)
    item = activity.checklist.get(title="Car park passes")
    assert item.owner == "Facilities"
    assert item.due_on == date(2026, 3, 4)
    services.checklist_item_tick(actor=leader, item=item, done=True)
    item.refresh_from_db()
    assert item.done_at is not None
    assert item.done_by == leader


def test_notification_after_the_start_is_refused_and_nothing_saved(leader):
    with pytest.raises(ValidationError) as caught:
        services.notification_record(
            actor=leader, kind="short", notified_on=MONDAY, starts_on=MONDAY - timedelta(days=1)
        )
    assert "notified_on" in caught.value.message_dict
    assert not Activity.objects.exists()
    assert not ChecklistItem.objects.exists()


def test_activity_dates_and_details_are_checked(leader):
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            actor=leader,
            kind="focused_visit",
            theme="Front door",
            starts_on=date(2025, 2, 20),
            ends_on=date(2025, 2, 19),
        )
    assert "ends_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.activity_create(
            actor=leader, kind="jtai", theme="Domestic abuse", starts_on=MONDAY
        )
    assert "partner_inspectorates" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.activity_create(actor=leader, kind="focused_visit", starts_on=MONDAY)
    assert "theme" in caught.value.message_dict


def _inspection(leader, starts_on=date(2024, 5, 13)) -> Activity:
    return services.activity_create(
        actor=leader, kind="standard", starts_on=starts_on, ends_on=starts_on + timedelta(days=11)
    )


def test_findings_use_the_framework_in_force_on_the_inspection_date(leader):
    activity = _inspection(leader)
    services.findings_record(
        actor=leader,
        activity=activity,
        published_on=date(2024, 7, 1),
        judgements={"overall": 3, "leaders": 3, "care_leavers": 2},
        findings=[("recommendation", "Timeliness of assessments"), ("strength", "Front door")],
    )
    assert {j.area: j.grade for j in Judgement.objects.all()} == {
        "overall": 3,
        "leaders": 3,
        "care_leavers": 2,
    }
    assert Finding.objects.count() == 2
    window = selectors.next_window()
    assert window is not None
    assert window.grade == 3


def test_a_judgement_from_another_framework_is_refused(leader):
    before_2023 = _inspection(leader, starts_on=date(2022, 6, 6))
    with pytest.raises(ValidationError) as caught:
        services.findings_record(
            actor=leader,
            activity=before_2023,
            published_on=None,
            judgements={"care_leavers": 2},
        )
    assert "judgement_care_leavers" in caught.value.message_dict
    after_april_2026 = _inspection(leader, starts_on=date(2026, 4, 13))
    with pytest.raises(ValidationError) as caught:
        services.findings_record(
            actor=leader, activity=after_april_2026, published_on=None, judgements={"overall": 2}
        )
    assert (
        "Overall effectiveness was not graded" in caught.value.message_dict["judgement_overall"][0]
    )
    assert not Judgement.objects.exists()


def test_a_report_before_its_inspection_is_refused(leader):
    activity = _inspection(leader)
    with pytest.raises(ValidationError) as caught:
        services.findings_record(
            actor=leader,
            activity=activity,
            published_on=date(2024, 5, 1),
            judgements={"leaders": 2},
        )
    assert "before the inspection started" in caught.value.message_dict["published_on"][0]
    assert not Judgement.objects.exists()


def test_a_focused_visit_has_no_grades_but_sets_priority_actions(leader):
    visit = services.activity_create(
        actor=leader, kind="focused_visit", theme="Front door", starts_on=date(2025, 2, 20)
    )
    with pytest.raises(ValidationError):
        services.findings_record(
            actor=leader, activity=visit, published_on=None, judgements={"leaders": 2}
        )
    services.findings_record(
        actor=leader,
        activity=visit,
        published_on=date(2025, 3, 20),
        judgements={},
        findings=[("priority_action", "Strategy discussions are not timely")],
    )
    deadlines = selectors.plan_deadlines()
    assert len(deadlines) == 1
    assert deadlines[0].priority_actions == 1
    assert not deadlines[0].answered
    services.priority_create(
        actor=leader, title="Timely strategy discussions", findings=Finding.objects.all()
    )
    assert selectors.plan_deadlines()[0].answered


def _action(leader, **kwargs) -> Action:
    priority = Priority.objects.first() or services.priority_create(
        actor=leader, title="Front door"
    )
    fields: dict[str, Any] = {
        "title": "Audit strategy discussions",
        "owner": "Head of service",
        "set_on": date(2025, 4, 1),
        "due_on": date(2025, 6, 30),
    }
    fields.update(kwargs)
    return services.action_create(actor=leader, priority=priority, **fields)


def test_an_action_due_before_it_was_set_is_refused(leader):
    with pytest.raises(ValidationError) as caught:
        _action(leader, due_on=date(2025, 3, 1))
    assert "due_on" in caught.value.message_dict
    assert not Action.objects.exists()


def test_overdue_actions_are_red_and_an_override_needs_a_reason(leader):
    action = _action(leader)
    assert selectors.rate(action, today=date(2025, 7, 1)).rag is Rag.RED
    with pytest.raises(ValidationError) as caught:
        services.action_update(
            actor=leader,
            action=action,
            status="on_track",
            due_on=action.due_on,
            completed_on=None,
            rag_override="amber",
            rag_override_reason="",
        )
    assert "rag_override_reason" in caught.value.message_dict
    services.action_update(
        actor=leader,
        action=action,
        status="on_track",
        due_on=action.due_on,
        completed_on=None,
        rag_override="amber",
        rag_override_reason="Extension agreed by the board",
    )
    rated = selectors.rate(action, today=date(2025, 7, 1))
    assert rated.rag is Rag.AMBER
    assert rated.suggested is Rag.RED
    assert rated.overridden


def test_completing_needs_a_sensible_date(leader):
    action = _action(leader)
    with pytest.raises(ValidationError) as caught:
        services.action_update(
            actor=leader,
            action=action,
            status="done",
            due_on=action.due_on,
            completed_on=date(2025, 3, 1),
            rag_override="",
            rag_override_reason="",
        )
    assert "completed_on" in caught.value.message_dict


def test_progress_updates_are_dated_sensibly(leader):
    action = _action(leader)
    with pytest.raises(ValidationError):
        services.progress_update_add(
            actor=leader, action=action, written_on=date(2025, 3, 1), text="Early"
        )
    services.progress_update_add(
        actor=leader, action=action, written_on=date(2025, 5, 1), text="Audit started"
    )
    assert action.updates.count() == 1


def test_evidence_must_name_a_real_indicator(leader):
    action = _action(leader)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=leader, action=action, indicator_code="no-such-thing")
    services.evidence_add(actor=leader, action=action, indicator_code="contact-decisions-on-time")
    assert action.evidence.count() == 1


def test_targets_are_percentages_on_real_indicators(leader):
    with pytest.raises(ValidationError):
        services.target_save(
            actor=leader,
            indicator_code="contact-decisions-on-time",
            target=Decimal(120),
            tolerance=Decimal(0),
            england=None,
        )
    saved = services.target_save(
        actor=leader,
        indicator_code="contact-decisions-on-time",
        target=Decimal(90),
        tolerance=Decimal(5),
        england=Decimal("77.4"),
    )
    evidence = selectors.indicators_with_evidence()
    row = next(e for e in evidence if e.indicator.code == "contact-decisions-on-time")
    assert row.target == saved
    assert len(row.labels) == 12
    assert len(row.values) == 12


def test_documents_are_kept_only_if_their_bytes_are_allowed(leader):
    activity = _inspection(leader)
    with pytest.raises(ValidationError) as caught:
        services.document_upload(
            actor=leader,
            activity=activity,
            title="Letter",
            filename="letter.pdf",
            content=b"<html><script>alert(1)</script></html>",
        )
    assert "file" in caught.value.message_dict
    document = services.document_upload(
        actor=leader,
        activity=activity,
        title="Letter",
        filename="let<ter>.exe",
        content=b"%PDF-1.4 x",
    )
    assert document.content_type == "application/pdf"
    assert document.filename == "letter.pdf"
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        services.document_upload(
            actor=leader,
            activity=activity,
            title="Big",
            filename="big.pdf",
            content=b"%PDF-" + b"0" * (10 * 1024 * 1024),
        )


def test_self_evaluation_keeps_versions_and_freezes_the_shared_one(leader):
    first = services.self_evaluation_save(
        actor=leader, year=2026, sections={"leaders": {"know": "First draft"}}
    )
    second = services.self_evaluation_save(
        actor=leader, year=2026, sections={"leaders": {"know": "Second draft"}}
    )
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.sections["leaders"]["know"] == "First draft"
    services.self_evaluation_share(actor=leader, version=second, shared_on=date(2026, 1, 5))
    with pytest.raises(ValidationError, match="frozen"):
        services.self_evaluation_share(actor=leader, version=second, shared_on=date(2026, 1, 6))
    assert SelfEvaluationVersion.objects.get(pk=second.pk).shared_with_ofsted_on == date(2026, 1, 5)


def test_citations_show_live_values_and_escape_the_text(leader):
    activity = _inspection(leader)
    services.findings_record(
        actor=leader,
        activity=activity,
        published_on=None,
        judgements={},
        findings=[("recommendation", "Supervision")],
    )
    finding = Finding.objects.get()
    html = selectors.render_citations(
        f"<b>We know</b> [indicator:contact-decisions-on-time] and [finding:{finding.pk}]"
    )
    assert "&lt;b&gt;" in html
    assert "Contact decisions" in html or "contact" in html.lower()
    assert "Finding: Supervision" in html
    assert "unknown indicator" in selectors.render_citations("[indicator:nope]")


def test_a_shared_version_quotes_its_citations_as_they_were_that_day(leader):
    from evident.inspection import exports

    today = date.today()
    action = _action(leader, title="Audit supervision", set_on=today, due_on=today)
    text = f"We are auditing [action:{action.pk}]"
    draft = services.self_evaluation_save(
        actor=leader, year=2026, sections={"leaders": {"know": text}}
    )
    shared = services.self_evaluation_save(
        actor=leader, year=2026, sections={"leaders": {"know": text}}
    )
    services.self_evaluation_share(actor=leader, version=shared, shared_on=today)
    shared.refresh_from_db()
    assert shared.cited == {f"[action:{action.pk}]": "Plan action: Audit supervision (not started)"}
    Action.objects.filter(pk=action.pk).update(title="Audit supervision and caseloads")

    def shown(version: SelfEvaluationVersion) -> str:
        return str(exports.self_evaluation_sections(version)[0].answers[0].html)

    assert "Audit supervision (not started)" in shown(shared)
    assert "Audit supervision and caseloads" in shown(draft)


def test_board_pack_sorts_actions_into_progress_concerns_and_needing_action(leader):
    today = date.today()
    _action(
        leader, title="Late", set_on=today - timedelta(days=60), due_on=today - timedelta(days=1)
    )
    done = _action(leader, title="Done", set_on=today - timedelta(days=60), due_on=today)
    services.action_update(
        actor=leader,
        action=done,
        status="done",
        due_on=done.due_on,
        completed_on=today - timedelta(days=3),
        rag_override="",
        rag_override_reason="",
    )
    pack = selectors.board_pack()
    assert [r.action.title for r in pack.progress] == ["Done"]
    assert [(c.priority.title, c.red, c.off_track) for c in pack.concerns] == [("Front door", 1, 0)]
    assert [r.action.title for r in pack.needing_action] == ["Late"]
    assert pack.summary[Rag.RED] == 1
    assert pack.summary[Rag.COMPLETE] == 1


def test_evidence_can_be_a_document_or_another_record(leader):
    action = _action(leader)
    document = services.document_upload(
        actor=leader, title="Audit report", filename="audit.pdf", content=b"%PDF-1.4 audit"
    )
    services.evidence_add(actor=leader, action=action, document=document)
    services.evidence_add(actor=leader, action=action, note="Practice week attendance register")
    with pytest.raises(ValidationError):
        services.evidence_add(actor=leader, action=action)
    assert action.evidence.count() == 2


def test_live_indicator_series_are_counted_once_for_the_page_and_the_pdf(leader):
    from unittest import mock

    from evident.performance.indicators.base import indicator_summary

    services.target_save(
        actor=leader,
        indicator_code="contact-decisions-on-time",
        target=Decimal(90),
        tolerance=Decimal(5),
        england=None,
    )
    with mock.patch(
        "evident.inspection.selectors.indicator_summary", wraps=indicator_summary
    ) as counted:
        first = selectors.board_pack()
        second = selectors.board_pack()
        fixed = selectors.board_pack(now=first.made_at)  # a fixed moment is always counted
    assert counted.call_count == 2
    assert [e.values for e in first.indicators] == [e.values for e in second.indicators]
    assert fixed.indicators[0].labels == first.indicators[0].labels
