"""The clock in the tray: due times, red/amber/green, soonest due first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from evident.core.clocks import Rag
from evident.core.working_days import WorkingDayCalendar
from evident.front_door import selectors, services
from evident.front_door.models import Decision
from evident.front_door.tests.conftest import MONDAY_10AM, london

NO_CLOSURES = WorkingDayCalendar()


@pytest.mark.parametrize(
    ("now", "rag", "label", "time_left"),
    [
        (london(2026, 11, 23, 12, 0), Rag.GREEN, "On track", "22 hours left"),
        (london(2026, 11, 24, 5, 30), Rag.AMBER, "Due soon", "4 hours 30 minutes left"),
        (london(2026, 11, 24, 11, 15), Rag.RED, "Overdue", "Overdue by 1 hour 15 minutes"),
    ],
)
def test_a_contact_clock_runs_one_working_day(now, rag, label, time_left):
    clock = selectors.contact_clock(received_at=MONDAY_10AM, now=now, calendar=NO_CLOSURES)
    assert clock.due_at == london(2026, 11, 24, 10, 0)
    assert clock.rag is rag
    assert clock.rag.label == label
    assert clock.time_left == time_left


def test_a_contact_on_friday_is_due_on_monday_and_one_on_saturday_at_the_end_of_monday():
    friday = selectors.contact_clock(
        received_at=london(2026, 11, 27, 16, 0),
        now=london(2026, 11, 27, 16, 0),
        calendar=NO_CLOSURES,
    )
    saturday = selectors.contact_clock(
        received_at=london(2026, 11, 28, 9, 0), now=london(2026, 11, 28, 9, 0), calendar=NO_CLOSURES
    )
    assert friday.due_at == london(2026, 11, 30, 16, 0)
    assert saturday.due_at == london(2026, 12, 1, 0, 0)


def test_the_tray_lists_open_contacts_overdue_first(make_contact, make_child, personas):
    # Recorded out of order; the tray sorts by due time, soonest (overdue) first.
    on_track = make_contact([make_child("Ola")], received_at=london(2026, 11, 26, 9, 0))
    overdue = make_contact([make_child("Ben")], received_at=london(2026, 11, 23, 9, 0))
    due_soon = make_contact([make_child("Cat")], received_at=london(2026, 11, 25, 12, 0))
    now = london(2026, 11, 26, 10, 0)
    page = selectors.tray_page(user=personas["practitioner"], page_number=1, now=now)
    assert [row.contact for row in page.rows] == [overdue, due_soon, on_track]
    assert [row.clock.rag.label for row in page.rows] == ["Overdue", "Due soon", "On track"]
    assert [row.clock.time_left for row in page.rows] == [
        "Overdue by 2 days 1 hour",
        "2 hours left",
        "23 hours left",
    ]


def test_the_tray_leaves_out_closed_contacts(make_contact, make_child, personas):
    open_one = make_contact([make_child("Ola")])
    closed = make_contact([make_child("Ben")])
    row = closed.children.get()
    services.contact_decide(
        actor=personas["practitioner"],
        contact=closed,
        decisions={row.pk: (Decision.Outcome.NO_FURTHER_ACTION, "Safe")},
    )
    services.contact_authorise(actor=personas["manager"], contact=closed)
    page = selectors.tray_page(
        user=personas["practitioner"], page_number=1, now=MONDAY_10AM + timedelta(hours=1)
    )
    assert [row.contact for row in page.rows] == [open_one]


def test_the_status_follows_the_decisions(make_contact, two_children, personas):
    contact = make_contact(two_children)

    def rows() -> list[Any]:
        return list(
            selectors.contact_get_for_user(
                user=personas["practitioner"], contact_id=contact.pk
            ).children.all()
        )

    assert selectors.contact_status(rows()) is selectors.ContactStatus.AWAITING_DECISION
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={r.pk: (Decision.Outcome.EARLY_HELP, "Support") for r in rows()},
    )
    assert selectors.contact_status(rows()) is selectors.ContactStatus.AWAITING_AUTHORISATION
    services.contact_return(actor=personas["manager"], contact=contact, comment="More")
    assert selectors.contact_status(rows()) is selectors.ContactStatus.RETURNED
    assert selectors.ContactStatus.RETURNED.label == "Returned"


def test_casework_staff_see_contacts_and_others_see_none(make_contact, make_child, personas):
    contact = make_contact([make_child()])
    for name in ("practitioner", "socialworker", "manager"):
        assert list(selectors.contacts_visible_to(personas[name])) == [contact]
    for name in ("partner", "lado", "analyst", "leader", "admin", "nobody"):
        assert not selectors.contacts_visible_to(personas[name]).exists()


def test_the_authorisations_list_is_longest_waiting_first(make_contact, make_child, personas):
    first = make_contact([make_child("Ola")])
    second = make_contact([make_child("Ben")])
    for contact, at in (
        (second, london(2026, 11, 23, 11, 0)),
        (first, london(2026, 11, 23, 13, 0)),
    ):
        row = contact.children.get()
        services.contact_decide(
            actor=personas["practitioner"],
            contact=contact,
            decisions={row.pk: (Decision.Outcome.INFORMATION_AND_ADVICE, "Advice given")},
            now=at,
        )
    make_contact([make_child("Cat")])  # no decision yet: not listed
    page = selectors.authorisation_page(
        user=personas["manager"], page_number=1, now=london(2026, 11, 23, 14, 0)
    )
    assert [row.contact for row in page.rows] == [second, first]
    assert page.rows[0].waiting_since == london(2026, 11, 23, 11, 0)
