"""Early help opened by an authorised decision: shown on the contact and the person's
record, and kept up to date by practitioners and managers."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.audit.models import AuditEvent
from evident.front_door import outcomes, services
from evident.front_door.models import Decision, EarlyHelpEpisode
from evident.front_door.tests.conftest import MONDAY_10AM, MONDAY_NOON, frozen, london

pytestmark = pytest.mark.django_db

EARLY_HELP = Decision.Outcome.EARLY_HELP


@pytest.fixture
def early_help(personas, make_child, make_contact):
    """A contact about one child whose early-help decision has been authorised."""
    child = make_child("Robin", "Early")
    contact = make_contact([child])
    row = contact.children.get()
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: (EARLY_HELP, "Needs family support")},
        now=MONDAY_10AM,
    )
    services.contact_authorise(actor=personas["manager"], contact=contact, now=MONDAY_NOON)
    return EarlyHelpEpisode.objects.get(contact_child=row)


def url(episode: EarlyHelpEpisode) -> str:
    return reverse("front_door:early_help", args=[episode.contact_child.contact_id, episode.pk])


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "assessment_start_date_day": "24",
        "assessment_start_date_month": "11",
        "assessment_start_date_year": "2026",
        "assessment_completion_date_day": "",
        "assessment_completion_date_month": "",
        "assessment_completion_date_year": "",
        "organisation_completing": "Northtown Family Hub",
        "lead_professional": "Sam Patel, family support worker",
        "ended_on_day": "",
        "ended_on_month": "",
        "ended_on_year": "",
    }
    data.update(overrides)
    return data


def test_an_authorised_early_help_decision_opens_early_help_from_that_day(early_help, personas):
    assert early_help.assessment_start_date == date(2026, 11, 23)
    assert early_help.assessment_completion_date is None
    assert early_help.person.first_name == "Robin"
    assert early_help.created_by == personas["manager"]
    assert early_help.is_open
    assert AuditEvent.objects.filter(
        record_type="front_door.earlyhelpepisode",
        action=AuditEvent.Action.CREATE,
        person_id=early_help.person_id,
    ).exists()


def test_early_help_is_done_by_the_councils_early_help_team_when_there_is_one(
    personas, make_child, make_contact
):
    team_get_or_create(name="Northtown Early Help", kind=Team.Kind.EARLY_HELP)
    assert outcomes.early_help_organisation() == "Northtown Early Help"


def test_a_proposed_early_help_decision_opens_nothing_yet(personas, make_child, make_contact):
    contact = make_contact([make_child()])
    row = contact.children.get()
    services.contact_decide(
        actor=personas["practitioner"], contact=contact, decisions={row.pk: (EARLY_HELP, "Why")}
    )
    assert not EarlyHelpEpisode.objects.exists()


def test_the_contact_page_shows_the_early_help(client, personas, early_help):
    client.force_login(personas["socialworker"])
    html = client.get(reverse("front_door:contact", args=[early_help.contact_child.contact_id]))
    text = html.content.decode()
    assert "What happens next" in text
    assert "Assessment started 23 November 2026" in text
    # Social workers read it; only practitioners and managers change it.
    assert "Update early help" not in text
    client.force_login(personas["practitioner"])
    text = client.get(
        reverse("front_door:contact", args=[early_help.contact_child.contact_id])
    ).content.decode()
    assert url(early_help) in text


def test_the_person_page_shows_the_early_help(client, personas, early_help):
    client.force_login(personas["practitioner"])
    response = client.get(reverse("people:person", args=[early_help.person_id]))
    text = response.content.decode()
    assert 'id="person-early-help"' in text
    assert "23 November 2026" in text


def test_a_practitioner_records_dates_and_the_lead_professional(client, personas, early_help):
    with frozen(london(2026, 12, 1, 9, 0)):
        client.force_login(personas["practitioner"])
        page = client.get(url(early_help))
        assert page.status_code == 200
        response = client.post(
            url(early_help),
            form_data(
                assessment_completion_date_day="30",
                assessment_completion_date_month="11",
                assessment_completion_date_year="2026",
            ),
        )
    assert response.status_code == 302
    early_help.refresh_from_db()
    assert early_help.assessment_start_date == date(2026, 11, 24)
    assert early_help.assessment_completion_date == date(2026, 11, 30)
    assert early_help.organisation_completing == "Northtown Family Hub"
    assert early_help.lead_professional == "Sam Patel, family support worker"
    event = AuditEvent.objects.get(section="front_door.early_help", action=AuditEvent.Action.UPDATE)
    assert event.detail["changed"]["assessment_start_date"] == {
        "from": "2026-11-23",
        "to": "2026-11-24",
    }


def test_a_completion_before_the_start_is_refused_and_what_was_typed_is_kept(
    client, personas, early_help
):
    with frozen(london(2026, 12, 1, 9, 0)):
        client.force_login(personas["manager"])
        response = client.post(
            url(early_help),
            form_data(
                assessment_completion_date_day="20",
                assessment_completion_date_month="11",
                assessment_completion_date_year="2026",
                lead_professional="Typed name",
            ),
        )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The assessment completion date must be on or after the start date" in text
    assert 'value="Typed name"' in text
    early_help.refresh_from_db()
    assert early_help.lead_professional == ""
    assert early_help.assessment_completion_date is None


def test_a_start_date_in_the_future_is_refused(personas, early_help):
    with pytest.raises(ValidationError) as caught:
        outcomes.early_help_update(
            actor=personas["practitioner"],
            episode=early_help,
            changes={
                "assessment_start_date": date(2026, 12, 25),
                "organisation_completing": "Hub",
            },
            now=london(2026, 12, 1, 9, 0),
        )
    assert "assessment_start_date" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["socialworker", "partner", "analyst", "nobody"])
def test_others_cannot_change_early_help(client, personas, early_help, persona):
    client.force_login(personas[persona])
    assert client.get(url(early_help)).status_code == 403
    assert client.post(url(early_help), form_data()).status_code == 403
    early_help.refresh_from_db()
    assert early_help.lead_professional == ""


def test_early_help_under_another_contact_is_not_found(
    client, personas, early_help, make_child, make_contact
):
    other = make_contact([make_child("Other", "Child")])
    client.force_login(personas["practitioner"])
    response = client.get(reverse("front_door:early_help", args=[other.pk, early_help.pk]))
    assert response.status_code == 404
