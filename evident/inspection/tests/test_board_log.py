"""A board's action log and the packs issued to its meetings."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evident.inspection import selectors, services
from evident.inspection.models import IssuedPack, MeetingAction
from evident.inspection.rules import Rag, board_action_rag

pytestmark = pytest.mark.django_db

TODAY = date.today()


@pytest.fixture
def board(leader):
    return services.board_create(actor=leader, name="Improvement Board", kind="improvement")


def _meeting(leader, board, days_ago: int):
    return services.meeting_save(
        actor=leader, board=board, held_on=TODAY - timedelta(days=days_ago)
    )


def _form_date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_board_action_rag():
    assert board_action_rag(due_on=TODAY - timedelta(days=1), done_on=None, today=TODAY) is Rag.RED
    assert (
        board_action_rag(due_on=TODAY + timedelta(days=14), done_on=None, today=TODAY) is Rag.AMBER
    )
    assert (
        board_action_rag(due_on=TODAY + timedelta(days=15), done_on=None, today=TODAY) is Rag.GREEN
    )
    assert (
        board_action_rag(due_on=TODAY - timedelta(days=9), done_on=TODAY, today=TODAY)
        is Rag.COMPLETE
    )
    assert board_action_rag(due_on=None, done_on=None, today=TODAY) is Rag.GREEN


def test_an_action_cannot_be_due_before_its_meeting_nor_done_before_it_or_in_the_future(
    leader, board
):
    meeting = _meeting(leader, board, days_ago=30)
    with pytest.raises(ValidationError, match="before the meeting"):
        services.meeting_action_add(
            actor=leader,
            meeting=meeting,
            text="Report",
            owner="AD",
            due_on=meeting.held_on - timedelta(days=1),
        )
    action = services.meeting_action_add(
        actor=leader, meeting=meeting, text=" Report ", owner=" AD ", due_on=TODAY
    )
    assert (action.text, action.owner) == ("Report", "AD")
    with pytest.raises(ValidationError, match="future"):
        services.meeting_action_done(actor=leader, action=action, done_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the meeting"):
        services.meeting_action_done(
            actor=leader, action=action, done_on=meeting.held_on - timedelta(days=1)
        )
    services.meeting_action_done(actor=leader, action=action, done_on=TODAY, note="Done well")
    with pytest.raises(ValidationError, match="already recorded as done"):
        services.meeting_action_done(actor=leader, action=action, done_on=TODAY)
    action.refresh_from_db()
    assert (action.done_on, action.done_note) == (TODAY, "Done well")
    # Moving the meeting after the date its action was due is refused; nothing changes.
    with pytest.raises(ValidationError, match="due before that date"):
        services.meeting_save(
            actor=leader, board=board, meeting=meeting, held_on=TODAY + timedelta(days=1)
        )
    meeting.refresh_from_db()
    assert meeting.held_on == TODAY - timedelta(days=30)


def test_the_log_carries_open_actions_forward_late_ones_first(leader, board):
    first = _meeting(leader, board, days_ago=60)
    second = _meeting(leader, board, days_ago=30)
    later = _meeting(leader, board, days_ago=0)
    late = services.meeting_action_add(
        actor=leader, meeting=first, text="Late", owner="AD", due_on=TODAY - timedelta(days=5)
    )
    soon = services.meeting_action_add(
        actor=leader, meeting=second, text="Soon", owner="AD", due_on=TODAY + timedelta(days=3)
    )
    done = services.meeting_action_add(
        actor=leader, meeting=first, text="Done", owner="AD", due_on=TODAY - timedelta(days=40)
    )
    services.meeting_action_done(actor=leader, action=done, done_on=TODAY - timedelta(days=45))
    services.meeting_action_add(
        actor=leader, meeting=later, text="New", owner="AD", due_on=TODAY + timedelta(days=30)
    )
    other = services.board_create(actor=leader, name="Scrutiny", kind="scrutiny")
    services.meeting_action_add(
        actor=leader, meeting=_meeting(leader, other, 10), text="Elsewhere", owner="X", due_on=TODAY
    )

    log = selectors.board_action_log(board, today=TODAY)
    assert [(e.action.text, e.rag) for e in log] == [
        ("Late", Rag.RED),
        ("Soon", Rag.AMBER),
        ("New", Rag.GREEN),
    ]
    arising = selectors.board_action_log(board, today=TODAY, before=later)
    assert [e.action for e in arising] == [late, soon]
    assert [e.action.text for e in selectors.meeting_actions(first, today=TODAY)] == [
        "Done",
        "Late",
    ]


def test_leader_adds_and_closes_actions_board_member_only_reads(
    client, leader, board_member, board
):
    meeting = _meeting(leader, board, days_ago=7)
    url = reverse("inspection:meeting_action_add", args=[meeting.pk])
    client.force_login(leader)
    refused = client.post(
        url,
        {"text": "", "owner": "AD", **_form_date("due_on", meeting.held_on - timedelta(days=1))},
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Enter what the action is" in page
    refused = client.post(
        url,
        {
            "text": "Report",
            "owner": "AD",
            **_form_date("due_on", meeting.held_on - timedelta(days=1)),
        },
    )
    assert "cannot be due before the meeting" in refused.content.decode()
    assert not MeetingAction.objects.exists()
    added = client.post(
        url,
        {
            "text": "Report the audit",
            "owner": "AD",
            **_form_date("due_on", TODAY - timedelta(days=1)),
        },
    )
    assert added.status_code == 302
    action = MeetingAction.objects.get()
    board_page = client.get(reverse("inspection:board", args=[board.pk])).content.decode()
    assert "Report the audit" in board_page
    assert "Red" in board_page

    client.force_login(board_member)
    assert client.get(reverse("inspection:meeting", args=[meeting.pk])).status_code == 200
    action_url = reverse("inspection:meeting_action", args=[action.pk])
    assert "Record as done" not in client.get(action_url).content.decode()
    assert (
        client.post(url, {"text": "X", "owner": "Y", **_form_date("due_on", TODAY)}).status_code
        == 403
    )
    assert client.post(action_url, _form_date("done_on", TODAY)).status_code == 403
    assert client.post(reverse("inspection:pack_issue", args=[meeting.pk])).status_code == 403

    client.force_login(leader)
    done = client.post(action_url, {**_form_date("done_on", TODAY), "note": "Reported"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY
    assert (
        "The board has no open actions"
        in client.get(reverse("inspection:board", args=[board.pk])).content.decode()
    )


def test_an_issued_pack_is_kept_exactly_and_served_to_board_members(
    client, leader, board_member, board
):
    meeting = _meeting(leader, board, days_ago=0)
    client.force_login(leader)
    assert client.post(reverse("inspection:pack_issue", args=[meeting.pk])).status_code == 302
    issued = IssuedPack.objects.get()
    content = bytes(issued.content)
    assert content.startswith(b"%PDF-")
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert issued.made_by == leader
    client.force_login(board_member)
    assert (
        issued.sha256
        in client.get(reverse("inspection:meeting", args=[meeting.pk])).content.decode()
    )
    served = client.get(reverse("inspection:pack_issued", args=[issued.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served.content == content
    with pytest.raises(ValidationError, match="not a PDF"):
        services.pack_issue(actor=leader, meeting=meeting, content=b"<html>")
    assert IssuedPack.objects.count() == 1


def test_a_meetings_pack_carries_the_boards_open_actions(client, leader, board_member, board):
    earlier = _meeting(leader, board, days_ago=28)
    services.meeting_action_add(
        actor=leader, meeting=earlier, text="Present the workforce plan", owner="HR", due_on=TODAY
    )
    later = _meeting(leader, board, days_ago=0)
    pack = selectors.board_pack(meeting=later)
    assert [e.action.text for e in pack.board_actions] == ["Present the workforce plan"]
    assert selectors.board_pack(meeting=earlier).board_actions == []
    client.force_login(board_member)
    page = client.get(reverse("inspection:pack", args=[later.pk])).content.decode()
    assert "Present the workforce plan" in page
