"""Information requests in the partner portal: a partner sees and answers only the
requests to their own organisation, and only the question and the contact reference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door import services_mash
from evident.front_door.models import InformationRequest
from evident.front_door.tests.conftest import frozen, london

EVERYONE = (
    "practitioner",
    "socialworker",
    "manager",
    "partner",
    "lado",
    "analyst",
    "leader",
    "admin",
    "nobody",
)


@pytest.fixture
def asked(make_contact, make_child, personas, police):
    """A request to the police (the ``partner`` persona's force) about a contact."""
    contact = make_contact([make_child("Robin", "Hale")])
    return services_mash.information_request_send(
        actor=personas["practitioner"],
        contact=contact,
        organisation=police,
        question="Any domestic abuse callouts at the family's address?",
        due_at=london(2026, 11, 24, 10, 0),
        now=london(2026, 11, 23, 11, 0),
    )


@pytest.mark.parametrize("name", EVERYONE)
def test_only_partners_reach_the_requests_pages(client, personas, asked, name):
    client.force_login(personas[name])
    expected = 200 if name == "partner" else 403
    assert client.get(reverse("portal:requests")).status_code == expected
    answer = reverse("portal:request_answer", kwargs={"request_id": asked.pk})
    assert client.get(answer).status_code == expected


def test_a_partner_sees_their_organisations_open_requests_with_overdue_flagged(
    client, personas, asked
):
    client.force_login(personas["partner"])
    with frozen(london(2026, 11, 24, 10, 30)):
        page = client.get(reverse("portal:requests")).content.decode()
    assert asked.contact.reference in page
    assert 'govuk-tag--red">Overdue</strong>' in page
    assert "Robin" not in page  # no child's record, not even the name


def test_a_partner_of_another_organisation_sees_nothing_and_gets_404(client, school_partner, asked):
    client.force_login(school_partner)
    page = client.get(reverse("portal:requests")).content.decode()
    assert asked.contact.reference not in page
    url = reverse("portal:request_answer", kwargs={"request_id": asked.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "Not ours"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == InformationRequest.Status.OPEN


def test_an_unknown_request_is_not_found(client, personas):
    client.force_login(personas["partner"])
    url = reverse("portal:request_answer", kwargs={"request_id": 999999})
    assert client.get(url).status_code == 404


def test_a_partner_answers_and_the_answer_shows_on_the_contact(client, personas, asked):
    client.force_login(personas["partner"])
    url = reverse("portal:request_answer", kwargs={"request_id": asked.pk})
    page = client.get(url).content.decode()
    assert "Any domestic abuse callouts at the family&#x27;s address?" in page
    assert asked.contact.reference in page
    assert "Robin" not in page
    with frozen(london(2026, 11, 23, 16, 0)):
        response = client.post(url, {"answer": "Two callouts in October 2026."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == InformationRequest.Status.ANSWERED
    assert asked.answered_by == personas["partner"]
    assert asked.answered_at == london(2026, 11, 23, 16, 0)
    assert AuditEvent.objects.filter(
        section="front_door.information_request", action="update", actor=personas["partner"]
    ).exists()
    # Answered requests leave the partner's list; the answer page shows it, without a form.
    client.force_login(personas["partner"])  # a new session: the frozen clock aged the last
    listing = client.get(reverse("portal:requests")).content.decode()
    assert "was sent" in listing  # the confirmation
    assert "There are no open requests to your organisation." in listing
    page = client.get(url).content.decode()
    assert "Two callouts in October 2026." in page
    assert "<form" not in page.split('id="information-request"')[1]

    client.force_login(personas["practitioner"])
    contact_page = client.get(
        reverse("front_door:contact", kwargs={"contact_id": asked.contact.pk})
    ).content.decode()
    assert "Two callouts in October 2026." in contact_page
    assert "Answered by Partner Tester, Test Police" in contact_page


def test_an_empty_answer_is_refused_with_an_error_summary(client, personas, asked):
    client.force_login(personas["partner"])
    url = reverse("portal:request_answer", kwargs={"request_id": asked.pk})
    html = client.post(url, {"answer": "  "}).content.decode()
    assert "govuk-error-summary" in html
    assert "Enter your answer" in html
    asked.refresh_from_db()
    assert asked.status == InformationRequest.Status.OPEN
