"""Finding the child at the front door: ranked matches with reasons, and the child's
previous contacts in the last 12 months on the contact page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import Contact, Decision
from evident.front_door.tests.conftest import frozen, london
from evident.people.models import Household, HouseholdMember, Person

NOW = london(2026, 11, 23, 15, 0)
CHILDREN = reverse("front_door:contact_children")


def _search(client: Any, **criteria: str) -> str:
    response = client.post(CHILDREN, {"action": "search", **criteria})
    assert response.status_code == 302
    page: str = client.get(CHILDREN).content.decode()
    return page


def _dob(day: date) -> dict[str, str]:
    return {
        "date_of_birth_day": str(day.day),
        "date_of_birth_month": str(day.month),
        "date_of_birth_year": str(day.year),
    }


def test_search_shows_ranked_matches_with_their_reasons(client, personas, make_child):
    exact = make_child("Bill", "Smith", date_of_birth=date(2015, 3, 4))
    fuzzy = make_child("William", "Smyth", date_of_birth=date(2015, 4, 3))
    make_child("Dana", "Okafor", date_of_birth=date(2012, 8, 20))
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        page = _search(client, name="Bill Smith", **_dob(date(2015, 3, 4)))
    assert "2 possible matches" in page
    assert page.index("Bill Smith") < page.index("William Smyth")  # best first
    for reason in (
        "Date of birth matches",
        "Surname matches",
        "First name matches",
        "Date of birth matches with day and month swapped",
        "Surname sounds like Smith",
        "Nickname of William",
        "Strong match",
    ):
        assert reason in page
    assert "Dana Okafor" not in page
    search = AuditEvent.objects.get(
        action=AuditEvent.Action.SEARCH, section="front_door.contact_search"
    )
    assert search.detail["results"] == 2
    shown = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, section="front_door.contact_draft"
    )
    assert {e.record_id for e in shown} == {str(exact.pk), str(fuzzy.pk)}


def test_a_sibling_in_the_same_household_is_suggested_with_the_reason(client, personas, make_child):
    alex = make_child("Alex", "Jones", date_of_birth=date(2015, 3, 4))
    casey = make_child("Casey", "Jones", date_of_birth=date(2019, 5, 6))
    home = Household.objects.create(name="Jones household")
    for person in (alex, casey):
        HouseholdMember.objects.create(household=home, person=person)
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        client.get(reverse("front_door:contact_new"))
        client.post(CHILDREN, {"action": "add", "person_id": str(alex.pk)})
        page = _search(client, name="Jones")
    assert "Sibling in the same household as Alex Jones already on this contact" in page
    matches = page[page.index('id="matches"') :]
    assert matches.index("Casey Jones") < matches.index("Alex Jones")
    assert "Added" in matches  # Alex is on the contact already


def test_no_likely_match_says_so_and_offers_adding_a_new_child(client, personas, make_child):
    make_child("Alex", "Smith")
    with frozen(NOW):
        client.force_login(personas["practitioner"])
        page = _search(client, name="Zebedee Quartermaine")
    assert "0 possible matches" in page
    assert "No likely matches" in page
    assert 'id="add-new-child"' in page


@pytest.mark.parametrize("role", ["socialworker", "partner", "lado", "analyst", "nobody"])
def test_only_recorders_can_search_for_the_child(client, personas, make_child, role):
    make_child("Alex", "Smith")
    client.force_login(personas[role])
    response = client.post(CHILDREN, {"action": "search", "name": "Smith"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH).exists()


# -- Previous contacts on the contact page -----------------------------------------------------


def _decided(contact: Contact, personas: dict[str, Any], outcome: str, at: Any) -> None:
    rows = list(contact.children.all())
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: (outcome, "Reasons for the decision.") for row in rows},
        now=at,
    )
    services.contact_authorise(actor=personas["manager"], contact=contact, now=at)


@pytest.fixture
def history(personas, make_contact, two_children) -> dict[str, Any]:
    alex, billie = two_children
    too_old = make_contact([alex], received_at=london(2025, 10, 1, 10, 0))
    referred = make_contact([alex], received_at=london(2026, 3, 2, 10, 0))
    _decided(referred, personas, Decision.Outcome.REFERRAL, london(2026, 3, 2, 16, 0))
    advice = make_contact([alex], received_at=london(2026, 9, 14, 11, 0))
    _decided(advice, personas, Decision.Outcome.INFORMATION_AND_ADVICE, london(2026, 9, 14, 17))
    current = make_contact([alex, billie], received_at=london(2026, 11, 23, 10, 0))
    return {
        "too_old": too_old,
        "referred": referred,
        "advice": advice,
        "current": current,
        "alex": alex,
        "billie": billie,
    }


@pytest.mark.parametrize("role", ["practitioner", "socialworker", "manager"])
def test_the_contact_shows_each_childs_previous_contacts_in_the_last_12_months(
    client, personas, history, role
):
    client.force_login(personas[role])
    with frozen(NOW):
        url = reverse("front_door:contact", kwargs={"contact_id": history["current"].pk})
        page = client.get(url).content.decode()
    assert "Previous contacts in the last 12 months" in page
    assert history["referred"].reference in page
    assert history["advice"].reference in page
    assert history["too_old"].reference not in page
    # Newest first, and the referral to children's social care stands out.
    assert page.index(history["advice"].reference) < page.index(history["referred"].reference)
    assert "2 previous contacts, 1 referred to children's social care" in page
    assert "govuk-tag--red" in page
    assert "No previous contacts in the last 12 months." in page  # Billie


@pytest.mark.parametrize("role", ["partner", "lado", "analyst", "leader", "admin", "nobody"])
def test_no_access_personas_cannot_see_a_childs_previous_contacts(client, personas, history, role):
    client.force_login(personas[role])
    url = reverse("front_door:contact", kwargs={"contact_id": history["current"].pk})
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert history["referred"].reference not in response.content.decode()


def test_previous_contacts_are_read_in_a_fixed_number_of_queries(
    personas, history, django_assert_max_num_queries
):
    from evident.front_door.selectors import contact_get_for_user, previous_contacts

    user = personas["practitioner"]
    contact = contact_get_for_user(user=user, contact_id=history["current"].pk)
    with django_assert_max_num_queries(1):
        found = previous_contacts(user=user, contact=contact)
    by_child: dict[Person, list[str]] = {
        h.row.person: [p.contact.reference for p in h.previous] for h in found
    }
    assert by_child == {
        history["alex"]: [history["advice"].reference, history["referred"].reference],
        history["billie"]: [],
    }
    assert [h.referrals for h in found] == [1, 0]


def test_a_proposed_referral_is_not_yet_counted_as_one(personas, make_contact, two_children):
    from evident.front_door.selectors import contact_get_for_user, previous_contacts

    alex, _ = two_children
    earlier = make_contact([alex], received_at=london(2026, 6, 1, 10, 0))
    services.contact_decide(
        actor=personas["practitioner"],
        contact=earlier,
        decisions={row.pk: ("referral", "Needs an assessment.") for row in earlier.children.all()},
        now=london(2026, 6, 1, 12, 0),
    )
    current = make_contact([alex], received_at=london(2026, 11, 23, 10, 0))
    user = personas["practitioner"]
    contact = contact_get_for_user(user=user, contact_id=current.pk)
    (history,) = previous_contacts(user=user, contact=contact)
    assert [p.contact for p in history.previous] == [earlier]
    assert history.referrals == 0
