"""The Change details page: who may use it, the form filled from the record, and saving."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.people.models import Person, PersonDisability
from evident.people.services import person_details_fingerprint

pytestmark = pytest.mark.django_db

CASEWORK = ["practitioner", "socialworker", "manager"]
NO_ACCESS = ["partner", "lado", "analyst", "leader", "admin", "nobody"]


def change_url(person: Person) -> str:
    return reverse("people:change", args=[person.pk])


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def posted(person: Person, **overrides: Any) -> dict[str, Any]:
    """The change form as shown for the person, with ``overrides`` typed in."""
    born = person.date_of_birth
    data: dict[str, Any] = {
        "expected": person_details_fingerprint(person),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth_day": str(born.day) if born else "",
        "date_of_birth_month": str(born.month) if born else "",
        "date_of_birth_year": str(born.year) if born else "",
        "sex": person.sex,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "nhs_number": person.nhs_number,
        "upn": person.upn,
        "upn_unknown_reason": person.upn_unknown_reason,
        "disabilities": list(person.disabilities.values_list("code", flat=True)),
    }
    data.update(overrides)
    return data


@pytest.fixture
def jo(make_person) -> Person:
    person: Person = make_person(
        sex="F", gender="female", ethnicity="NOBT", nhs_number="9434765919"
    )
    PersonDisability.objects.create(person=person, code="MOB")
    return person


@pytest.mark.parametrize("role", NO_ACCESS)
def test_other_roles_are_refused(client, personas, jo, role):
    client = signed_in(client, personas[role])
    assert client.get(change_url(jo)).status_code == 403
    assert client.post(change_url(jo), posted(jo, ethnicity="WBRI")).status_code == 403
    assert Person.objects.get(pk=jo.pk).ethnicity == "NOBT"


def test_a_board_member_is_refused(client, make_user, jo):
    member = make_user("member", Role.BOARD_MEMBER)
    client = signed_in(client, member)
    assert client.get(change_url(jo)).status_code == 403
    assert client.post(change_url(jo), posted(jo, ethnicity="WBRI")).status_code == 403
    assert Person.objects.get(pk=jo.pk).ethnicity == "NOBT"


def test_a_person_outside_the_users_scope_is_404_like_an_unknown_one(client, personas, jo):
    from evident.people import selectors

    client = signed_in(client, personas["practitioner"])
    with mock.patch.object(selectors, "people_visible_to", return_value=Person.objects.none()):
        hidden = client.get(change_url(jo))
        hidden_post = client.post(change_url(jo), posted(jo, ethnicity="WBRI"))
    unknown = client.get(reverse("people:change", args=["00000000-0000-0000-0000-000000000000"]))
    assert hidden.status_code == hidden_post.status_code == unknown.status_code == 404
    assert "Jo Smith" not in hidden.text
    assert Person.objects.get(pk=jo.pk).ethnicity == "NOBT"


@pytest.mark.parametrize("role", CASEWORK)
def test_the_person_page_links_to_change_details(client, personas, jo, role):
    page = signed_in(client, personas[role]).get(reverse("people:person", args=[jo.pk]))
    assert change_url(jo) in page.text


def test_the_form_is_filled_with_the_current_details_and_the_read_audited(client, personas, jo):
    response = signed_in(client, personas["practitioner"]).get(change_url(jo))
    assert response.status_code == 200
    body = response.text
    assert 'value="Jo"' in body
    assert 'value="Smith"' in body
    assert 'value="2015"' in body
    assert 'value="943 476 5919"' in body
    assert 'value="NOBT" selected' in body
    assert 'value="F" class="govuk-radios__input" id="id_sex_1" required checked' in body
    assert 'value="MOB" class="govuk-checkboxes__input" id="id_disabilities_1" checked' in body
    assert f'name="expected" value="{person_details_fingerprint(jo)}"' in body
    assert "Address line 1" not in body
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, person=jo, section="change details"
    ).exists()


def test_a_bad_upn_is_shown_on_the_page_and_nothing_is_saved(client, personas, jo):
    client = signed_in(client, personas["practitioner"])
    response = client.post(change_url(jo), posted(jo, upn="A12345678901Z", ethnicity="WBRI"))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "govuk-form-group--error" in response.text
    assert 'href="#id_upn"' in response.text
    assert 'value="A12345678901Z"' in response.text
    jo.refresh_from_db()
    assert (jo.upn, jo.ethnicity) == ("", "NOBT")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_a_save_redirects_to_the_record_which_shows_the_new_details(client, personas, jo):
    client = signed_in(client, personas["socialworker"])
    response = client.post(
        change_url(jo), posted(jo, ethnicity="WBRI", disabilities=["MOB", "COMM"])
    )
    assert response.status_code == 302
    assert response.url == reverse("people:person", args=[jo.pk])
    page = client.get(response.url)
    assert "Jo Smith&#x27;s details have been saved" in page.text
    assert "White British" in page.text
    assert "Communication" in page.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.detail["changed"] == ["ethnicity", "disabilities"]


def test_the_own_nhs_number_is_kept_without_a_clash(client, personas, jo):
    response = signed_in(client, personas["practitioner"]).post(
        change_url(jo), posted(jo, nhs_number="943 476 5919", last_name="Smyth")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=jo.pk).last_name == "Smyth"
    assert (
        "Jo Smyth&#x27;s details have been saved"
        in client.get(reverse("people:person", args=[jo.pk])).text
    )


def test_a_save_from_a_stale_page_shows_the_conflict_and_saves_nothing(client, personas, jo):
    client = signed_in(client, personas["practitioner"])
    shown = posted(jo, ethnicity="WBRI")
    Person.objects.filter(pk=jo.pk).update(first_name="Joanna")
    response = client.post(change_url(jo), shown)
    assert response.status_code == 200
    assert "Someone else changed this person&#x27;s details" in response.text
    jo.refresh_from_db()
    assert (jo.first_name, jo.ethnicity) == ("Joanna", "NOBT")


def test_a_merged_away_record_cannot_be_changed(client, personas, make_person, jo):
    away = make_person("Jo", "Smithe", merged_into=jo)
    client = signed_in(client, personas["manager"])
    assert change_url(away) not in client.get(reverse("people:person", args=[away.pk])).text
    response = client.post(change_url(away), posted(away, last_name="Smith"))
    assert response.status_code == 302
    assert Person.objects.get(pk=away.pk).last_name == "Smithe"


def test_a_person_recorded_without_a_date_of_birth_can_be_corrected_without_one(
    client, personas, make_person
):
    mum = make_person("Sam", "Smiht", date_of_birth=None, sex="F")
    response = signed_in(client, personas["practitioner"]).post(
        change_url(mum), posted(mum, last_name="Smith")
    )
    assert response.status_code == 302
    mum.refresh_from_db()
    assert (mum.last_name, mum.date_of_birth) == ("Smith", None)


def test_a_recorded_date_of_birth_cannot_be_blanked(client, personas, jo):
    response = signed_in(client, personas["practitioner"]).post(
        change_url(jo),
        posted(jo, date_of_birth_day="", date_of_birth_month="", date_of_birth_year=""),
    )
    assert response.status_code == 200
    assert "Enter the date of birth, or select" in response.text
    assert Person.objects.get(pk=jo.pk).date_of_birth is not None
