"""At the front door: a practitioner finds the child a partner described in the records
(or adds them), the child joins the contact, and the partner later sees the outcome."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import ContactChild, Decision, SubmittedChild
from evident.people.models import Person
from evident.portal.tests.conftest import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(personas, submit):
    return submit(personas["partner"])


def find_url(contact, name: str = "submitted_child") -> str:
    submitted = SubmittedChild.objects.get(contact=contact)
    return reverse(
        f"front_door:{name}", kwargs={"contact_id": contact.pk, "submitted_id": submitted.pk}
    )


def test_only_front_door_recorders_find_a_submitted_child(client, personas, sent):
    for name in ("socialworker", "partner", "lado", "analyst", "leader", "admin", "nobody"):
        client.force_login(personas[name])
        assert client.get(find_url(sent)).status_code == 403, name
        assert client.get(find_url(sent, "submitted_child_add")).status_code == 403, name


def test_a_practitioner_finds_the_child_and_the_partner_later_sees_the_outcome(
    client, personas, sent, make_child
):
    kai = make_child("Kai", "Ward", postcode="NB1 2CD")
    make_child("Other", "Child")
    client.force_login(personas["practitioner"])
    contact_page = client.get(reverse("front_door:contact", kwargs={"contact_id": sent.pk}))
    assert find_url(sent) in contact_page.content.decode()

    page = client.get(find_url(sent)).content.decode()
    assert "Kai Ward" in page
    assert kai.council_id in page
    assert "Other Child" not in page
    assert AuditEvent.objects.filter(
        actor=personas["practitioner"], action="search", section="front_door.portal_link"
    ).exists()
    assert AuditEvent.objects.filter(
        actor=personas["practitioner"], action="view", person=kai
    ).exists()

    response = client.post(find_url(sent), {"person_id": str(kai.pk)})
    assert response["Location"] == reverse("front_door:contact", kwargs={"contact_id": sent.pk})
    row = ContactChild.objects.get(contact=sent)
    assert row.person == kai
    assert SubmittedChild.objects.get(contact=sent).person == kai
    assert AuditEvent.objects.filter(
        action="create", section="front_door.portal_link", person=kai
    ).exists()
    # Found: the page now goes back to the contact.
    assert client.get(find_url(sent)).status_code == 302

    services.contact_decide(
        actor=personas["practitioner"],
        contact=sent,
        decisions={row.pk: (Decision.Outcome.REFERRAL, "Needs assessment")},
    )
    services.contact_authorise(actor=personas["manager"], contact=sent)
    client.force_login(personas["partner"])
    outcome = client.get(reverse("portal:submission", kwargs={"contact_id": sent.pk}))
    text = outcome.content.decode()
    assert "Kai Ward" in text
    assert "will assess the child&#x27;s needs" in text


def test_choosing_someone_who_cannot_be_found_links_nothing(client, personas, sent):
    client.force_login(personas["practitioner"])
    response = client.post(find_url(sent), {"person_id": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "That child could not be found: search again" in response.content.decode()
    assert not ContactChild.objects.filter(contact=sent).exists()
    assert SubmittedChild.objects.get(contact=sent).person is None


def test_a_child_not_in_the_records_is_added_from_the_partners_details(client, personas, sent):
    client.force_login(personas["manager"])
    url = find_url(sent, "submitted_child_add")
    page = client.get(url).content.decode()
    assert 'value="Kai"' in page
    assert 'value="4 Mill Lane"' in page
    # Bad input: the field is named and nothing is saved.
    response = client.post(url, {"first_name": "Kai", "last_name": "Ward"})
    assert "Select the sex" in response.content.decode()
    assert not Person.objects.exists()
    response = client.post(
        url,
        {
            "first_name": "Kai",
            "last_name": "Ward",
            "date_of_birth_day": "3",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2016",
            "sex": "M",
            "gender": "not_stated",
            "ethnicity": "NOBT",
            "address_line_1": "4 Mill Lane",
            "postcode": "NB1 2CD",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get()
    assert ContactChild.objects.get(contact=sent).person == person
    assert SubmittedChild.objects.get(contact=sent).person == person


def test_a_council_contact_has_no_submitted_children_to_find(
    client, personas, make_contact, make_child
):
    contact = make_contact([make_child()])
    client.force_login(personas["practitioner"])
    url = reverse(
        "front_door:submitted_child", kwargs={"contact_id": contact.pk, "submitted_id": 1}
    )
    assert client.get(url).status_code == 404


def test_a_contact_is_not_decided_while_a_submitted_child_is_still_to_be_found(
    personas, submit, make_child
):
    two = submission()["children"] + [
        {"first_name": "Mae", "last_name": "Ward", "date_of_birth": date(2020, 5, 1)}
    ]
    contact = submit(personas["partner"], children=two)
    kai = make_child("Kai", "Ward", postcode="NB1 2CD")
    kai_submitted = contact.submitted_children.get(first_name="Kai")
    services.submitted_child_link(
        actor=personas["practitioner"], submitted=kai_submitted, person_id=kai.pk
    )
    row = ContactChild.objects.get(contact=contact)
    with pytest.raises(ValidationError) as refused:
        services.contact_decide(
            actor=personas["practitioner"],
            contact=contact,
            decisions={row.pk: (Decision.Outcome.NO_FURTHER_ACTION, "Safe")},
        )
    assert "Find Mae Ward (as the partner described them)" in refused.value.messages[0]
    assert not Decision.objects.exists()  # nothing half-saved
