"""Allocation: practitioners take contacts; team managers reallocate several at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import Contact, Decision
from evident.front_door.tests.conftest import london


@pytest.fixture
def contacts(make_contact, make_child):
    return [
        make_contact([make_child(name)], received_at=london(2026, 11, 23, 9 + n, 0))
        for n, name in enumerate(["Ola", "Ben", "Cat"])
    ]


@pytest.fixture
def colleague(make_user):
    return make_user("colleague", Role.PRACTITIONER)


def test_a_manager_allocates_several_contacts_to_a_practitioner_with_one_event_each(
    contacts, personas, colleague
):
    chosen = contacts[:2]
    services.contacts_allocate(actor=personas["manager"], contacts=chosen, to=colleague)
    for contact in chosen:
        contact.refresh_from_db()
        assert contact.allocated_to == colleague
        assert contact.version == 2
    contacts[2].refresh_from_db()
    assert contacts[2].allocated_to is None
    assert contacts[2].version == 1
    events = AuditEvent.objects.filter(section="front_door.allocation").order_by("id")
    assert sorted(e.record_id for e in events) == sorted(str(c.pk) for c in chosen)
    for event in events:
        assert event.action == AuditEvent.Action.UPDATE
        assert event.actor == personas["manager"]
        assert event.detail["allocated_to"] == colleague.pk
        assert event.detail["previous"] is None


def test_reallocating_records_who_had_the_contact_before(contacts, personas, colleague):
    services.contact_take(actor=personas["practitioner"], contact=contacts[0])
    services.contacts_allocate(actor=personas["manager"], contacts=[contacts[0]], to=colleague)
    event = AuditEvent.objects.filter(section="front_door.allocation").latest("id")
    assert event.detail["previous"] == personas["practitioner"].pk
    contacts[0].refresh_from_db()
    assert contacts[0].version == 3


@pytest.mark.parametrize("name", ["socialworker", "manager", "lado", "nobody"])
def test_contacts_go_only_to_front_door_practitioners(contacts, personas, name):
    with pytest.raises(ValidationError) as refused:
        services.contacts_allocate(actor=personas["manager"], contacts=contacts, to=personas[name])
    assert refused.value.message_dict == {"to": [services.NOT_A_PRACTITIONER]}
    assert not Contact.objects.filter(allocated_to__isnull=False).exists()
    assert not AuditEvent.objects.filter(section="front_door.allocation").exists()


def test_a_practitioner_in_another_team_is_not_a_target(contacts, personas, make_user):
    from evident.accounts.models import Team
    from evident.accounts.services import team_get_or_create

    other = make_user("duty", Role.PRACTITIONER)
    other.teams.set([team_get_or_create(name="Duty", kind=Team.Kind.DUTY_ASSESSMENT)])
    with pytest.raises(ValidationError):
        services.contacts_allocate(actor=personas["manager"], contacts=contacts, to=other)


@pytest.mark.parametrize("name", ["practitioner", "socialworker"])
def test_only_team_managers_reallocate(contacts, personas, colleague, name):
    with pytest.raises(PermissionDenied):
        services.contacts_allocate(actor=personas[name], contacts=contacts, to=colleague)
    assert not Contact.objects.filter(allocated_to__isnull=False).exists()


def test_a_decided_contact_cannot_be_allocated_and_nothing_is_saved(contacts, personas, colleague):
    closed = contacts[0]
    services.contact_decide(
        actor=personas["practitioner"],
        contact=closed,
        decisions={
            row.pk: (Decision.Outcome.NO_FURTHER_ACTION, "Safe") for row in closed.children.all()
        },
    )
    services.contact_authorise(actor=personas["manager"], contact=closed)
    with pytest.raises(ValidationError):
        services.contacts_allocate(actor=personas["manager"], contacts=contacts, to=colleague)
    assert not Contact.objects.filter(allocated_to__isnull=False).exists()


def test_a_practitioner_takes_an_unallocated_contact_once(contacts, personas, colleague):
    services.contact_take(actor=personas["practitioner"], contact=contacts[0])
    contacts[0].refresh_from_db()
    assert contacts[0].allocated_to == personas["practitioner"]
    with pytest.raises(ValidationError, match="already been taken by Practitioner Tester"):
        services.contact_take(actor=colleague, contact=contacts[0])
    event = AuditEvent.objects.get(section="front_door.allocation")
    assert event.actor == personas["practitioner"]


def test_only_front_door_practitioners_take_contacts(contacts, personas):
    with pytest.raises(PermissionDenied):
        services.contact_take(actor=personas["manager"], contact=contacts[0])


# The pages --------------------------------------------------------------------------------


def test_a_manager_ticks_contacts_in_the_tray_and_allocates_them(
    client, contacts, personas, colleague
):
    client.force_login(personas["manager"])
    tray = client.get(reverse("front_door:tray") + "?sort=reference").content.decode()
    assert 'form="tray-allocate"' in tray
    assert "Allocate selected contacts" in tray
    assert f'<option value="{colleague.pk}">Colleague Tester</option>' in tray
    response = client.post(
        reverse("front_door:tray_allocate"),
        {
            "contact": [str(contacts[0].pk), str(contacts[1].pk)],
            "to": str(colleague.pk),
            "filters": "sort=reference&page=3&evil=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:tray") + "?sort=reference"
    assert Contact.objects.filter(allocated_to=colleague).count() == 2
    after = client.get(response["Location"]).content.decode()
    assert "2 contacts allocated to Colleague Tester" in after


def test_allocating_to_no_one_or_no_contacts_is_refused_with_the_reason(
    client, contacts, personas, colleague
):
    client.force_login(personas["manager"])
    response = client.post(reverse("front_door:tray_allocate"), {"contact": [str(contacts[0].pk)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a practitioner to allocate the contacts to" in page
    response = client.post(reverse("front_door:tray_allocate"), {"to": str(colleague.pk)})
    assert response.status_code == 400
    assert "Select the contacts to allocate" in response.content.decode()
    socialworker = personas["socialworker"]
    response = client.post(
        reverse("front_door:tray_allocate"),
        {"contact": [str(contacts[0].pk)], "to": str(socialworker.pk)},
    )
    assert response.status_code == 400
    assert "Select a practitioner in the front-door team" in response.content.decode()
    assert not Contact.objects.filter(allocated_to__isnull=False).exists()


@pytest.mark.parametrize(
    "name",
    ["practitioner", "socialworker", "partner", "lado", "analyst", "leader", "admin", "nobody"],
)
def test_only_managers_may_post_a_reallocation(client, contacts, personas, colleague, name):
    client.force_login(personas[name])
    response = client.post(
        reverse("front_door:tray_allocate"),
        {"contact": [str(contacts[0].pk)], "to": str(colleague.pk)},
    )
    assert response.status_code == 403
    assert not Contact.objects.filter(allocated_to__isnull=False).exists()


def test_the_tray_offers_take_to_practitioners_and_it_keeps_the_filters(client, contacts, personas):
    client.force_login(personas["practitioner"])
    tray = client.get(reverse("front_door:tray") + "?allocated=unallocated").content.decode()
    take = reverse("front_door:contact_take", kwargs={"contact_id": contacts[0].pk})
    assert f'formaction="{take}"' in tray
    assert 'id="tray-take"' in tray
    assert 'form="tray-allocate"' not in tray  # no bulk reallocation for practitioners
    response = client.post(take, {"filters": "allocated=unallocated"})
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:tray") + "?allocated=unallocated"
    contacts[0].refresh_from_db()
    assert contacts[0].allocated_to == personas["practitioner"]
    mine = client.get(reverse("front_door:tray") + "?allocated=me").content.decode()
    assert contacts[0].reference in mine
    assert contacts[1].reference not in mine


def test_social_workers_see_no_take_button_and_cannot_take(client, contacts, personas):
    client.force_login(personas["socialworker"])
    tray = client.get(reverse("front_door:tray")).content.decode()
    assert "Take<span" not in tray
    take = reverse("front_door:contact_take", kwargs={"contact_id": contacts[0].pk})
    assert client.post(take).status_code == 403
    contacts[0].refresh_from_db()
    assert contacts[0].allocated_to is None
