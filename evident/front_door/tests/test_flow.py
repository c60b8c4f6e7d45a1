"""Recording a contact end to end with the test client, then deciding and authorising."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door.models import Contact, ContactChild, Decision
from evident.front_door.tests.conftest import frozen, london, mash_answers
from evident.front_door.views import DRAFT_KEY
from evident.people.models import Person

NOW = london(2026, 11, 23, 15, 0)
CHILDREN = reverse("front_door:contact_children")
DETAILS = reverse("front_door:contact_details")
CHECK = reverse("front_door:contact_check")

DETAILS_DATA = {
    "received_date_day": "23",
    "received_date_month": "11",
    "received_date_year": "2026",
    "received_time": "09:30",
    "source": "2A",
    "referrer_name": "Ms Patel",
    "referrer_organisation": "Northbridge Primary School",
    "referrer_phone": "01632 960 001",
    "referrer_email": "dsl@school.example.org",
    "concern": "Alex came to school with a bruise and said Billie was hurt too.",
    "consent": "dispensed",
    "consent_reason": "Asking the parents could put the children at risk.",
}


def _no_child_data_in(url: str) -> None:
    for word in ("Smith", "Alex", "Billie", "Casey", "2015", "2018"):
        assert word not in url


def _search(client: Any, **criteria: str) -> Any:
    response = client.post(CHILDREN, {"action": "search", **criteria})
    assert response.status_code == 302
    _no_child_data_in(response["Location"])
    return client.get(CHILDREN)


def _add(client: Any, person: Person) -> Any:
    response = client.post(CHILDREN, {"action": "add", "person_id": str(person.pk)})
    assert response.status_code == 302
    return response


def test_record_decide_and_authorise_a_contact_about_two_children(client, personas, two_children):
    alex, billie = two_children
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        response = client.get(reverse("front_door:contact_new"))
        assert response["Location"] == CHILDREN

        results = _search(client, name="smith").content.decode()
        assert "2 possible matches" in results
        assert "Alex Smith" in results
        assert "Billie Smith" in results
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.SEARCH, section="front_door.contact_search"
        ).exists()
        _add(client, alex)
        page = client.get(CHILDREN).content.decode()
        assert 'id="children-on-contact"' in page
        assert "Added" in page  # Alex is marked as added in the results
        _add(client, billie)

        response = client.post(CHILDREN, {"action": "continue"})
        assert response["Location"] == DETAILS
        response = client.post(DETAILS, DETAILS_DATA)
        assert response["Location"] == CHECK

        check = client.get(CHECK).content.decode()
        for text in (
            "Alex Smith",
            "Billie Smith",
            "23 November 2026, 09:30",
            "Schools",
            "Northbridge Primary School",
            "Dispensed with",
            "Asking the parents could put the children at risk.",
        ):
            assert text in check
        assert f'href="{DETAILS}#id_concern"' in check
        assert not Contact.objects.exists()  # nothing saved before the end

        response = client.post(CHECK)
        contact = Contact.objects.get()
        assert response["Location"] == reverse(
            "front_door:contact_recorded", kwargs={"contact_id": contact.pk}
        )
        assert DRAFT_KEY not in client.session
        recorded = client.get(response["Location"]).content.decode()
        assert "govuk-panel--confirmation" in recorded
        assert contact.reference in recorded

    assert contact.received_at == london(2026, 11, 23, 9, 30)
    assert contact.source == "2A"
    assert contact.consent == Contact.Consent.DISPENSED
    assert [row.person for row in contact.children.order_by("id")] == [alex, billie]
    assert (
        AuditEvent.objects.filter(
            record_type="front_door.contactchild", action=AuditEvent.Action.CREATE
        ).count()
        == 2
    )

    # The practitioner proposes no further action for both children.
    decide = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    with frozen(london(2026, 11, 23, 15, 10)):
        form = client.get(decide).content.decode()
        assert 'id="id_outcome_1_0"' in form
        assert 'id="id_outcome_2_0"' in form
        response = client.post(
            decide,
            {
                "outcome_1": "nfa",
                "rationale_1": "The school's concern is explained; no harm found.",
                "outcome_2": "nfa",
                "rationale_2": "Billie was checked by the school nurse: no injury.",
                **mash_answers(2),
            },
        )
    assert response["Location"] == reverse("front_door:contact", kwargs={"contact_id": contact.pk})
    assert set(Decision.objects.values_list("outcome", "status")) == {("nfa", "proposed")}

    # A team manager authorises both.
    client.force_login(personas["manager"])
    with frozen(london(2026, 11, 23, 15, 20)):
        waiting = client.get(reverse("front_door:authorisations")).content.decode()
        assert contact.reference in waiting
        authorise = reverse("front_door:authorise", kwargs={"contact_id": contact.pk})
        assert "No further action" in client.get(authorise).content.decode()
        response = client.post(authorise, {"action": "authorise", "comment": "Agreed."})
        assert response["Location"] == reverse("front_door:authorisations")
        after = client.get(response["Location"]).content.decode()
        assert f"Decisions on contact {contact.reference} authorised" in after
        tray = client.get(reverse("front_door:tray")).content.decode()
        assert contact.reference not in tray

    contact.refresh_from_db()
    assert contact.closed_at == london(2026, 11, 23, 15, 20)
    assert set(Decision.objects.values_list("status", "authorised_by")) == {
        ("authorised", personas["manager"].pk)
    }


def test_a_new_child_is_added_to_the_records_only_when_the_contact_is_saved(
    client, personas, two_children
):
    with frozen(NOW):
        client.force_login(personas["manager"])
        client.get(reverse("front_door:contact_new"))
        _search(client, nhs_number="", name="alex")
        _add(client, two_children[0])
        response = client.post(
            reverse("front_door:contact_new_child"),
            {
                "first_name": "Casey",
                "last_name": "Jones",
                "date_of_birth_day": "6",
                "date_of_birth_month": "5",
                "date_of_birth_year": "2019",
                "sex": "F",
                "gender": "female",
                "ethnicity": "NOBT",
            },
        )
        assert response["Location"] == CHILDREN
        _no_child_data_in(response["Location"])
        page = client.get(CHILDREN).content.decode()
        assert "Casey Jones" in page
        assert "New: added to the records when you save the contact" in page
        assert not Person.objects.filter(first_name="Casey").exists()

        client.post(DETAILS, DETAILS_DATA)
        assert "Casey Jones" in client.get(CHECK).content.decode()
        response = client.post(CHECK)
        assert response.status_code == 302

    casey = Person.objects.get(first_name="Casey", last_name="Jones")
    assert casey.date_of_birth == date(2019, 5, 6)
    contact = Contact.objects.get()
    assert set(contact.children.values_list("person", flat=True)) == {two_children[0].pk, casey.pk}


def test_a_new_child_can_be_removed_before_saving(client, personas):
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        client.post(
            reverse("front_door:contact_new_child"),
            {
                "first_name": "Casey",
                "last_name": "Jones",
                "date_of_birth_day": "6",
                "date_of_birth_month": "5",
                "date_of_birth_year": "2019",
                "sex": "F",
                "gender": "female",
                "ethnicity": "NOBT",
            },
        )
        key = client.session[DRAFT_KEY]["children"][0]["key"]
        client.post(CHILDREN, {"action": "remove", "child": key})
        assert client.session[DRAFT_KEY]["children"] == []
        assert "No children added yet" in client.get(CHILDREN).content.decode()


def test_continuing_with_no_child_is_refused_in_an_error_summary_with_the_search_kept(
    client, personas, two_children
):
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        _search(client, name="Billie")
        response = client.post(CHILDREN, {"action": "continue"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<li>Add at least one child to the contact</li>" in html
    assert "<title>Error: Who is this contact about?" in html
    assert 'value="Billie"' in html  # the search typed is still there
    assert "Billie Smith" in html  # and so are its results


def test_saving_with_no_child_is_refused_the_details_are_kept_and_nothing_is_saved(
    client, personas, two_children
):
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        _search(client, name="alex")
        _add(client, two_children[0])
        client.post(DETAILS, DETAILS_DATA)
        # The only child is removed from the draft after the details were entered.
        client.post(CHILDREN, {"action": "remove", "child": str(two_children[0].pk)})
        before = (Contact.objects.count(), ContactChild.objects.count(), Person.objects.count())
        response = client.post(CHECK)
        draft = client.session[DRAFT_KEY]
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Add at least one child to the contact" in html
    assert "Northbridge Primary School" in html  # the details typed are kept
    assert (Contact.objects.count(), ContactChild.objects.count(), Person.objects.count()) == before
    assert draft["details"]["referrer_name"] == ["Ms Patel"]


def test_the_same_child_cannot_be_added_twice(client, personas, two_children):
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        _search(client, name="alex")
        _add(client, two_children[0])
        response = client.post(CHILDREN, {"action": "add", "person_id": str(two_children[0].pk)})
        draft = client.session[DRAFT_KEY]
    assert response.status_code == 200
    assert "Alex Smith is already on this contact" in response.content.decode()
    assert len(draft["children"]) == 1


def test_a_search_with_nothing_to_search_for_shows_an_error(client, personas):
    client.force_login(personas["practitioner"])
    client.get(reverse("front_door:contact_new"))
    response = client.post(CHILDREN, {"action": "search", "name": "  "})
    html = response.content.decode()
    assert "Enter a name, date of birth, NHS number or postcode to search" in html
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_time": "25:00"}, "Enter the time received in hours and minutes, like 14:30"),
        ({"received_date_day": "24"}, "The date and time received must be in the past"),
        ({"consent": "refused", "consent_reason": ""}, "Enter why consent was refused"),
        ({"source": ""}, "Select where the contact came from"),
        ({"concern": ""}, "Enter the concern"),
    ],
)
def test_contact_details_are_checked_and_kept(client, personas, changes, message):
    client.force_login(personas["practitioner"])
    with frozen(NOW):
        response = client.post(DETAILS, {**DETAILS_DATA, **changes})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert 'value="Ms Patel"' in html
    assert DRAFT_KEY not in client.session or not client.session[DRAFT_KEY].get("details")


def test_pressing_save_twice_shows_the_saved_contact(client, personas, two_children):
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        _search(client, name="alex")
        _add(client, two_children[0])
        client.post(DETAILS, DETAILS_DATA)
        first = client.post(CHECK)
        second = client.post(CHECK)
    assert second["Location"] == first["Location"]
    assert Contact.objects.count() == 1
