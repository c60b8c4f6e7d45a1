"""Pages: who may see what, bad input answered on the page, files served safely."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evident.inspection import services
from evident.inspection.models import Action, Activity, Document, Finding, Judgement
from evident.people.models import Person

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


@pytest.fixture
def meeting(leader):
    board = services.board_create(actor=leader, name="Improvement Board", kind="improvement")
    return services.meeting_save(actor=leader, board=board, held_on=date(2026, 11, 2))


@pytest.fixture
def action(leader):
    priority = services.priority_create(actor=leader, title="Front door")
    return services.action_create(
        actor=leader,
        priority=priority,
        title="Audit strategy discussions",
        owner="Head of service",
        set_on=date(2026, 1, 5),
        due_on=date(2026, 2, 5),
    )


def test_leader_pages_render(client, leader, meeting, action):
    client.force_login(leader)
    activity = services.activity_create(actor=leader, kind="standard", starts_on=date(2024, 5, 13))
    for name, args in [
        ("inspection:timeline", []),
        ("inspection:activity_new", []),
        ("inspection:notification_new", []),
        ("inspection:activity", [activity.pk]),
        ("inspection:findings", [activity.pk]),
        ("inspection:checklist_template", []),
        ("inspection:plan", []),
        ("inspection:priority_new", []),
        ("inspection:action_new", [action.priority_id]),
        ("inspection:action", [action.pk]),
        ("inspection:targets", []),
        ("inspection:boards", []),
        ("inspection:board", [meeting.board_id]),
        ("inspection:meeting", [meeting.pk]),
        ("inspection:pack", [meeting.pk]),
        ("inspection:self_evaluations", []),
        ("inspection:self_evaluation", [2026]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name


def test_unknown_ids_are_404_not_500(client, leader):
    client.force_login(leader)
    for name in (
        "inspection:activity",
        "inspection:action",
        "inspection:meeting",
        "inspection:pack",
        "inspection:document",
    ):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("inspection:self_evaluation", args=[1900])).status_code == 404


def test_notification_form_records_and_refuses_nonsense(client, leader):
    client.force_login(leader)
    url = reverse("inspection:notification_new")
    bad = {
        "kind": "short",
        **_date("notified_on", date(2026, 3, 9)),
        **_date("starts_on", date(2026, 3, 2)),
    }
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "on or before the first day on site" in response.content.decode()
    assert not Activity.objects.exists()
    response = client.post(url, {"kind": "short", **_date("notified_on", date(2026, 3, 2))})
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.starts_on == date(2026, 3, 9)
    download = client.get(reverse("inspection:annex_a_download", args=[activity.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert bytes(download.content) == bytes(activity.annex_a.content)


def test_findings_form_shows_the_areas_of_the_framework(client, leader):
    client.force_login(leader)
    old = services.activity_create(actor=leader, kind="short", starts_on=date(2022, 6, 6))
    page = client.get(reverse("inspection:findings", args=[old.pk])).content.decode()
    assert "children in care and care leavers" in page
    assert "The experiences and progress of care leavers" not in page
    new = services.activity_create(actor=leader, kind="short", starts_on=date(2026, 6, 1))
    page = client.get(reverse("inspection:findings", args=[new.pk])).content.decode()
    assert "Overall effectiveness" not in page
    response = client.post(
        reverse("inspection:findings", args=[new.pk]),
        {"judgement_leaders": "2", **_date("published_on", date(2026, 5, 1))},
    )
    assert response.status_code == 200
    assert "before the inspection started" in response.content.decode()
    assert not Judgement.objects.exists()


def test_upload_refuses_a_renamed_page_and_serves_files_as_attachments(client, leader, personas):
    client.force_login(leader)
    activity = services.activity_create(actor=leader, kind="standard", starts_on=date(2024, 5, 13))
    url = reverse("inspection:document_upload", args=[activity.pk])
    evil = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post(url, {"title": "Report", "file": evil})
    assert response.status_code == 400
    assert "must be a PDF, Word document or image" in response.content.decode()
    assert not Document.objects.exists()
    good = SimpleUploadedFile("report.txt", b"%PDF-1.4 letter", "text/plain")
    assert client.post(url, {"title": "Report", "file": good}).status_code == 302
    document = Document.objects.get()
    response = client.get(reverse("inspection:document", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"%PDF-1.4 letter"
    # Not for casework staff, nor board members.
    client.force_login(personas["socialworker"])
    assert client.get(reverse("inspection:document", args=[document.pk])).status_code == 403


def test_board_member_sees_packs_and_the_published_plan_read_only(
    client, board_member, leader, meeting, action
):
    client.force_login(board_member)
    assert client.get(reverse("inspection:boards")).status_code == 200
    assert client.get(reverse("inspection:pack", args=[meeting.pk])).status_code == 200
    # The plan only once published.
    assert client.get(reverse("inspection:plan")).status_code == 403
    assert client.get(reverse("inspection:action", args=[action.pk])).status_code == 403
    services.plan_publish(actor=leader, published=True)
    page = client.get(reverse("inspection:plan")).content.decode()
    assert "Audit strategy discussions" in page
    assert "Add a priority" not in page
    # Read-only: no changes.
    response = client.post(
        reverse("inspection:action", args=[action.pk]),
        {"form": "progress", "text": "x", **_date("written_on", date(2026, 1, 10))},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("inspection:boards"), {"name": "X", "kind": "scrutiny"}).status_code
        == 403
    )
    assert client.post(reverse("inspection:plan_publish"), {"published": "0"}).status_code == 403
    # Nothing of the inspection record itself.
    assert client.get(reverse("inspection:timeline")).status_code == 403


def test_board_member_never_sees_a_childs_record(client, board_member):
    child = Person.objects.create(council_id="C0000001", first_name="Alex", last_name="Smith")
    client.force_login(board_member)
    assert client.get(reverse("people:person", args=[child.pk])).status_code == 403
    assert client.get(reverse("people:person", args=[uuid.uuid4()])).status_code == 403
    assert client.get(reverse("people:search")).status_code == 403
    assert client.get(reverse("front_door:tray")).status_code == 403
    assert client.get(reverse("performance:indicators")).status_code == 403


def test_board_pack_pdf_is_a_pdf(client, board_member, meeting, leader):
    services.target_save(
        actor=leader,
        indicator_code="contact-decisions-on-time",
        target=Decimal(90),
        tolerance=Decimal(5),
        england=None,
    )
    client.force_login(board_member)
    response = client.get(reverse("inspection:pack_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].startswith("attachment")


def test_action_page_updates_and_shows_field_errors(client, leader, action):
    client.force_login(leader)
    url = reverse("inspection:action", args=[action.pk])
    response = client.post(
        url,
        {
            "form": "update",
            "status": "on_track",
            "rag_override": "green",
            **_date("due_on", date(2026, 2, 5)),
        },
    )
    assert response.status_code == 400
    assert "Give the reason for overriding" in response.content.decode()
    response = client.post(
        url, {"form": "evidence", "indicator_code": "contact-decisions-on-time", "note": ""}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<svg" in page
    assert "the numbers in the chart" in page
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_self_evaluation_exports_pdf_and_word(client, leader):
    client.force_login(leader)
    response = client.post(
        reverse("inspection:self_evaluation", args=[2026]),
        {"leaders__know": "Leaders know their services [indicator:contact-decisions-on-time]"},
    )
    assert response.status_code == 302
    version = services.self_evaluation_save(
        actor=leader, year=2026, sections={"leaders": {"know": "x"}}
    )
    page = client.get(
        reverse("inspection:self_evaluation_version", args=[version.pk - 1])
    ).content.decode()
    assert "Leaders know their services" in page
    assert "evident-citation" in page
    pdf = client.get(reverse("inspection:self_evaluation_export", args=[version.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF-")
    word = client.get(reverse("inspection:self_evaluation_export", args=[version.pk, "docx"]))
    assert word.content.startswith(b"PK")
    assert (
        client.get(
            reverse("inspection:self_evaluation_export", args=[version.pk, "exe"])
        ).status_code
        == 404
    )
    shared = client.post(
        reverse("inspection:self_evaluation_version", args=[version.pk]),
        _date("shared_on", date.today() - timedelta(days=1)),
    )
    assert shared.status_code == 302
    version.refresh_from_db()
    assert version.shared_with_ofsted_on is not None
    assert Finding.objects.count() == 0


def _plan_of(leader, priorities: int, actions: int) -> None:
    """``priorities`` priorities of ``actions`` actions, each late (so listed as needing
    action), with a progress update and an indicator as evidence."""
    today = date.today()
    for p in range(priorities):
        priority = services.priority_create(actor=leader, title=f"Priority {p}")
        for a in range(actions):
            action = services.action_create(
                actor=leader,
                priority=priority,
                title=f"Action {p}.{a}",
                owner="Head of service",
                set_on=today - timedelta(days=60),
                due_on=today - timedelta(days=1),
            )
            services.progress_update_add(
                actor=leader, action=action, written_on=today, text="Under way"
            )
            services.evidence_add(
                actor=leader, action=action, indicator_code="contact-decisions-on-time"
            )


@pytest.mark.parametrize("page", ["inspection:pack", "inspection:pack_pdf"])
def test_the_board_pack_reads_the_same_number_of_times_however_long_the_plan(
    client, board_member, leader, meeting, page
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("contact-decisions-on-time", "contacts-from-police"):
        services.target_save(
            actor=leader,
            indicator_code=code,
            target=Decimal(80),
            tolerance=Decimal(5),
            england=None,
        )
    client.force_login(board_member)
    url = reverse(page, args=[meeting.pk])

    def reads() -> int:
        cache.clear()  # count the indicators afresh each time (they are kept 5 minutes)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries)

    _plan_of(leader, priorities=1, actions=2)
    reads()  # the first request of a session also writes the session
    short = reads()
    _plan_of(leader, priorities=4, actions=10)
    assert Action.objects.count() == 42
    assert reads() == short
