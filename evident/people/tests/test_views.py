from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonDisability,
    Relationship,
)

pytestmark = pytest.mark.django_db

CASEWORK = ["practitioner", "socialworker", "manager"]
NO_ACCESS = ["partner", "lado", "analyst", "leader", "admin", "nobody"]
SEARCH = reverse("people:search")
ADD = reverse("people:add")


def person_url(person: Person) -> str:
    return reverse("people:person", args=[person.pk])


def log_url(person: Person) -> str:
    return reverse("people:access_log", args=[person.pk])


def signed_in(client: Client, personas: dict[str, Any], name: str) -> Client:
    client.force_login(personas[name])
    return client


# -- Find a person ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASEWORK)
def test_casework_staff_can_open_the_search_page(client, personas, role):
    response = signed_in(client, personas, role).get(SEARCH)
    assert response.status_code == 200
    assert "Find a person" in response.text
    assert f'href="{ADD}"' in response.text
    assert 'method="post"' in response.text  # criteria stay out of URLs and logs


@pytest.mark.parametrize("role", NO_ACCESS)
def test_other_roles_are_refused_the_search_page(client, personas, make_person, role):
    make_person("Jo", "Smith")
    client = signed_in(client, personas, role)
    assert client.get(SEARCH).status_code == 403
    response = client.post(SEARCH, {"name": "smith"})
    assert response.status_code == 403
    assert "Smith" not in response.text
    assert not AuditEvent.objects.filter(action__in=["search", "view"]).exists()


def test_signed_out_users_are_sent_to_sign_in_from_search(client):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_a_search_lists_matches_and_audits_them(client, personas, make_person):
    jo = make_person(
        "Jo", "Smith", date_of_birth=date(2015, 3, 4), nhs_number="9434765919", postcode="NB1 2CD"
    )
    make_person("Sam", "Jones")
    response = signed_in(client, personas, "practitioner").post(SEARCH, {"name": "smith jo"})
    assert response.status_code == 200
    body = response.text
    assert "1 person found" in body
    assert person_url(jo) in body
    assert "SMITH, Jo" in body
    assert "4 March 2015" in body
    assert f"Age {jo.age_on(timezone.localdate())}" in body
    assert "943 476 5919" in body
    assert "NB1 2CD" in body
    assert jo.council_id in body
    assert "Jones" not in body
    search = AuditEvent.objects.get(action="search")
    assert search.detail["criteria"] == {"name": "smith jo"}
    assert search.actor == personas["practitioner"]
    assert list(
        AuditEvent.objects.filter(action="view", section="search results").values_list(
            "person_id", flat=True
        )
    ) == [jo.pk]


def test_a_search_by_date_of_birth_uses_the_three_boxes(client, personas, make_person):
    jo = make_person(date_of_birth=date(2015, 3, 4))
    make_person("Sam", date_of_birth=date(2016, 3, 4))
    response = signed_in(client, personas, "socialworker").post(
        SEARCH, {"date_of_birth_day": "4", "date_of_birth_month": "3", "date_of_birth_year": "2015"}
    )
    assert person_url(jo) in response.text
    assert response.text.count("/people/") - response.text.count(f"{ADD}") >= 1
    assert "Sam" not in response.text


def test_a_search_with_no_criteria_asks_for_one_and_records_nothing(client, personas):
    response = signed_in(client, personas, "practitioner").post(SEARCH, {"name": "  "})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a name, date of birth, NHS number or postcode" in response.text
    assert not AuditEvent.objects.filter(action="search").exists()


def test_a_search_with_a_malformed_nhs_number_says_so(client, personas):
    response = signed_in(client, personas, "practitioner").post(SEARCH, {"nhs_number": "12ab"})
    assert "NHS number must be 10 digits" in response.text
    assert 'value="12ab"' in response.text
    assert not AuditEvent.objects.filter(action="search").exists()


def test_a_search_finding_no_one_says_so(client, personas, make_person):
    make_person("Jo", "Smith")
    response = signed_in(client, personas, "manager").post(SEARCH, {"name": "nobody-here"})
    assert "No people found" in response.text
    assert AuditEvent.objects.filter(action="search").count() == 1
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_search_with_many_matches_shows_fifty_and_says_there_are_more(
    client, personas, make_person
):
    Person.objects.bulk_create(
        Person(council_id=f"B{i:05d}", first_name=f"Child{i:02d}", last_name="Smith")
        for i in range(55)
    )
    response = signed_in(client, personas, "practitioner").post(SEARCH, {"name": "smith"})
    assert "More than 50 people found" in response.text
    assert response.text.count('class="govuk-table__row"') == 51  # header + 50
    assert AuditEvent.objects.filter(action="view").count() == 50


# -- The person's record ---------------------------------------------------------------------


@pytest.fixture
def family(make_person):
    child = make_person(
        "Jo",
        "Smith",
        nhs_number="9434765919",
        ethnicity="MWBC",
        upn_unknown_reason="UN2",
        postcode="NB1 2CD",
        previous_postcode="NB9 9ZZ",
        aliases=(("Josie", "Brown"),),
    )
    PersonDisability.objects.create(person=child, code="HEAR")
    mother = make_person("Alex", "Smith", date_of_birth=date(1990, 1, 1))
    brother = make_person("Max", "Smith", date_of_birth=date(2012, 6, 1))
    Relationship.objects.create(
        person=mother, other=child, kind="parent", has_parental_responsibility=True
    )
    Relationship.objects.create(person=child, other=brother, kind="sibling")
    home = Household.objects.create(name="Smith household")
    for member in (child, mother, brother):
        HouseholdMember.objects.create(household=home, person=member, start_date=date(2020, 1, 1))
    return {"child": child, "mother": mother, "brother": brother}


@pytest.mark.parametrize("role", CASEWORK)
def test_casework_staff_see_the_whole_record(client, personas, family, role):
    child = family["child"]
    response = signed_in(client, personas, role).get(person_url(child))
    assert response.status_code == 200
    body = response.text
    for text in (
        "Jo Smith",
        "Josie Brown",
        "4 March 2015",
        "White and Black Caribbean",
        "Hearing",
        "943 476 5919",
        "never attended a school in england",
        child.council_id,
        "Smith household",
        "Alex Smith",
        "Max Smith",
        "Parent",
        "Sibling",
    ):
        assert text in body, text
    assert person_url(family["mother"]) in body
    # Address history: the current address comes first.
    assert body.index("NB1 2CD") < body.index("NB9 9ZZ")


def test_opening_a_record_is_audited_exactly_once_per_view(client, personas, family):
    child = family["child"]
    client = signed_in(client, personas, "practitioner")
    client.get(person_url(child))
    events = AuditEvent.objects.filter(person=child)
    assert [(e.action, e.section) for e in events] == [("view", "record")]
    client.get(person_url(child))
    assert AuditEvent.objects.filter(person=child).count() == 2
    # Nobody else's record was read.
    assert AuditEvent.objects.exclude(person=child).filter(action="view").count() == 0


def test_the_record_shows_the_front_door_contacts(client, personas, make_person):
    child = make_person()
    received = timezone.now() - timedelta(days=3)
    decided = Contact.objects.create(
        reference="C-0001",
        received_at=received,
        source="6",
        concern="Police attended a domestic incident",
        consent="given",
        recorded_at=received,
    )
    open_contact = Contact.objects.create(
        reference="C-0002",
        received_at=timezone.now(),
        source="2A",
        concern="School concern",
        consent="given",
        recorded_at=timezone.now(),
    )
    row = ContactChild.objects.create(contact=decided, person=child)
    ContactChild.objects.create(contact=open_contact, person=child)
    Decision.objects.create(
        contact_child=row,
        outcome="early_help",
        rationale="Family agree to early help",
        decided_by=personas["practitioner"],
        decided_at=timezone.now(),
    )
    body = signed_in(client, personas, "socialworker").get(person_url(child)).text
    assert "C-0001" in body
    assert "C-0002" in body
    assert body.index("C-0002") < body.index("C-0001")  # newest first
    assert "Police" in body
    assert "Schools" in body
    assert "Early help" in body
    assert "Not decided yet" in body
    assert timezone.localtime(received).strftime("%-d %B %Y") in body


def test_the_record_page_queries_do_not_grow_with_the_family(client, personas, family, make_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child = family["child"]
    client = signed_in(client, personas, "practitioner")
    client.get(person_url(child))  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(person_url(child)).status_code == 200
        return len(captured)

    before = queries()
    home = Household.objects.get()
    for i in range(5):
        cousin = make_person(f"Cousin{i}", "Smith")
        Relationship.objects.create(person=cousin, other=child, kind="other_relative")
        HouseholdMember.objects.create(household=home, person=cousin)
    assert queries() == before <= 25


def test_an_unborn_child_shows_the_expected_date(client, personas, make_person):
    due = timezone.localdate() + timedelta(days=40)
    baby = make_person("Baby", "Smith", date_of_birth=None, expected_date_of_birth=due)
    body = signed_in(client, personas, "practitioner").get(person_url(baby)).text
    assert "Expected date of birth" in body
    assert f"{due.day} {due:%B %Y}" in body


def test_an_unknown_person_is_404(client, personas):
    response = signed_in(client, personas, "practitioner").get(
        reverse("people:person", args=[uuid.uuid4()])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_malformed_person_id_is_404(client, personas):
    client = signed_in(client, personas, "practitioner")
    assert client.get("/people/not-a-uuid/").status_code == 404
    assert client.get("/people/12345/who-has-viewed/").status_code == 404


@pytest.mark.parametrize("role", NO_ACCESS)
def test_roles_outside_casework_are_refused_a_record_with_403(client, personas, family, role):
    child = family["child"]
    response = signed_in(client, personas, role).get(person_url(child))
    assert response.status_code == 403
    assert "Jo Smith" not in response.text
    assert not AuditEvent.objects.filter(person=child).exists()
    assert AuditEvent.objects.filter(action="denied", actor=personas[role]).count() == 1


def test_a_record_outside_the_users_scope_is_404_not_403(client, personas, family):
    # The policy lets a practitioner in; the scope (e.g. a restricted record) keeps them out.
    from evident.people import selectors

    with mock.patch.object(selectors, "people_visible_to", return_value=Person.objects.none()):
        response = signed_in(client, personas, "practitioner").get(person_url(family["child"]))
    assert response.status_code == 404
    assert "Jo Smith" not in response.text
    assert not AuditEvent.objects.filter(person=family["child"]).exists()


def test_only_team_managers_see_the_who_has_viewed_link(client, personas, make_person):
    jo = make_person()
    client = signed_in(client, personas, "manager")
    assert log_url(jo) in client.get(person_url(jo)).text
    for role in ("practitioner", "socialworker"):
        client = signed_in(client, personas, role)
        assert log_url(jo) not in client.get(person_url(jo)).text


def test_a_failed_audit_write_shows_nothing(client, personas, make_person):
    from django.db import DatabaseError

    jo = make_person()
    client = signed_in(client, personas, "practitioner")
    with mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")):
        response = client.get(person_url(jo))
    assert response.status_code == 503
    assert "Jo Smith" not in response.text


# -- Add a person ----------------------------------------------------------------------------


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Jo",
        "last_name": "Smith",
        "date_of_birth_day": "4",
        "date_of_birth_month": "3",
        "date_of_birth_year": "2015",
        "sex": "F",
        "gender": "female",
        "ethnicity": "WBRI",
        "nhs_number": "943 476 5919",
        "address_line_1": "2 New Street",
        "town": "Northbridge",
        "postcode": "nb1 2cd",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("role", CASEWORK)
def test_casework_staff_can_open_the_add_page(client, personas, role):
    response = signed_in(client, personas, role).get(ADD)
    assert response.status_code == 200
    assert "Add a person" in response.text
    assert "novalidate" in response.text


def test_adding_a_person_saves_them_and_shows_their_record(client, personas):
    client = signed_in(client, personas, "practitioner")
    response = client.post(ADD, form_data(disabilities=["HEAR", "VIS"]))
    jo = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == person_url(jo)
    assert (jo.nhs_number, jo.date_of_birth) == ("9434765919", date(2015, 3, 4))
    assert jo.council_id.startswith("NB")
    assert set(jo.disabilities.values_list("code", flat=True)) == {"HEAR", "VIS"}
    assert Address.objects.get(person=jo).postcode == "NB1 2CD"
    assert AuditEvent.objects.filter(person=jo, action="create").count() == 1
    page = client.get(response["Location"])
    assert "Jo Smith has been added" in page.text


def test_adding_an_unborn_child(client, personas):
    due = timezone.localdate() + timedelta(days=60)
    response = signed_in(client, personas, "socialworker").post(
        ADD,
        form_data(
            date_of_birth_day="",
            date_of_birth_month="",
            date_of_birth_year="",
            unborn="on",
            expected_date_of_birth_day=str(due.day),
            expected_date_of_birth_month=str(due.month),
            expected_date_of_birth_year=str(due.year),
            sex="U",
            nhs_number="",
        ),
    )
    assert response.status_code == 302
    baby = Person.objects.get()
    assert (baby.date_of_birth, baby.expected_date_of_birth) == (None, due)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "NHS number is not valid"),
        (
            {"date_of_birth_year": str(timezone.localdate().year + 1)},
            "must be today or in the past",
        ),
        (
            {
                "unborn": "on",
                "expected_date_of_birth_day": "1",
                "expected_date_of_birth_month": "1",
                "expected_date_of_birth_year": str(timezone.localdate().year + 1),
                "sex": "U",
            },
            "not born yet has no date of birth",
        ),
        (
            {
                "date_of_birth_day": "",
                "date_of_birth_month": "",
                "date_of_birth_year": "",
                "unborn": "on",
                "expected_date_of_birth_day": "1",
                "expected_date_of_birth_month": "1",
                "expected_date_of_birth_year": "2020",
                "sex": "U",
            },
            "Expected date of birth must be today or in the future",
        ),
        (
            {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
            "Enter the date of birth",
        ),
        ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "must be a real date"),
        ({"upn": "A12345678901Z"}, "UPN"),
        ({"postcode": "NOWHERE"}, "Enter a real postcode"),
        ({"first_name": ""}, "Enter the first name"),
        ({"sex": None}, "Select the sex"),
    ],
)
def test_bad_input_is_shown_with_the_input_kept_and_nothing_saved(
    client, personas, overrides, message
):
    data = form_data(**overrides)
    response = signed_in(client, personas, "practitioner").post(ADD, data)
    assert response.status_code == 200
    body = response.text
    assert "There is a problem" in body
    assert message in body
    assert 'value="2 New Street"' in body
    if data.get("first_name"):
        assert 'value="Jo"' in body
    assert "govuk-form-group--error" in body
    assert not Person.objects.exists()
    assert not Address.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_person_already_on_record_by_nhs_number_is_not_added_twice(client, personas, make_person):
    make_person(nhs_number="9434765919")
    response = signed_in(client, personas, "practitioner").post(ADD, form_data())
    assert "already recorded" in response.text
    assert Person.objects.count() == 1


@pytest.mark.parametrize("role", NO_ACCESS)
def test_other_roles_cannot_add_a_person(client, personas, role):
    client = signed_in(client, personas, role)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert not Person.objects.exists()


# -- Who has viewed this record --------------------------------------------------------------


def test_a_manager_sees_who_has_viewed_the_record(client, personas, make_person):
    jo = make_person()
    signed_in(client, personas, "practitioner").get(person_url(jo))
    response = signed_in(client, personas, "manager").get(log_url(jo))
    assert response.status_code == 200
    body = response.text
    assert "Who has viewed this record" in body
    assert "Practitioner Tester" in body
    assert "Front-door practitioner" in body
    assert "Northbridge Borough Council" in body
    assert "Viewed" in body
    assert "Record" in body
    # Newest first: the manager's own look at the log, then the practitioner's view.
    assert body.index("Manager Tester") < body.index("Practitioner Tester")
    oldest = AuditEvent.objects.filter(person=jo).last()
    assert oldest is not None
    local = timezone.localtime(oldest.occurred_at)
    assert f"{local.day} {local:%B %Y} at" in body


def test_viewing_the_access_log_is_itself_audited(client, personas, make_person):
    jo = make_person()
    signed_in(client, personas, "manager").get(log_url(jo))
    (event,) = AuditEvent.objects.filter(person=jo)
    assert (event.action, event.section, event.actor_username) == (
        "view",
        "who has viewed",
        "manager",
    )


@pytest.mark.parametrize("role", ["practitioner", "socialworker", *NO_ACCESS])
def test_only_managers_may_see_who_has_viewed(client, personas, make_person, role):
    jo = make_person()
    response = signed_in(client, personas, role).get(log_url(jo))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(person=jo).exists()


def test_the_access_log_is_404_for_an_unknown_person(client, personas):
    response = signed_in(client, personas, "manager").get(
        reverse("people:access_log", args=[uuid.uuid4()])
    )
    assert response.status_code == 404


def test_the_access_log_pages_by_fifty(client, personas, make_person):
    jo = make_person()
    for _ in range(60):
        audit_record(
            actor=personas["socialworker"],
            action=AuditEvent.Action.VIEW,
            person=jo,
            section="record",
        )
    client = signed_in(client, personas, "manager")
    first = client.get(log_url(jo))
    # 61 events with the manager's own: 50 on page 1, 11 on page 2 (+1 for the second visit).
    assert first.text.count('<tr class="govuk-table__row">') == 51
    assert "page 1 of 2" in first.text
    assert 'href="?page=2"' in first.text
    second = client.get(log_url(jo) + "?page=2")
    assert second.text.count('<tr class="govuk-table__row">') == 1 + 12
    assert "Sam" not in second.text
