"""A partner sees their own organisation's submissions through the portal, and nothing
else: no other organisation's contact, no council-recorded contact, no council page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import ContactChild, Decision, SubmittedChild
from evident.portal.models import PortalDraft
from tests.test_access_policies import ALL_PATTERNS

pytestmark = pytest.mark.django_db

NOT_PARTNERS = ("practitioner", "socialworker", "manager", "lado", "analyst", "leader", "admin")


def portal_pages(contact_id, draft_id) -> list[str]:
    return [
        reverse("portal:submissions"),
        reverse("portal:start"),
        reverse("portal:submission", kwargs={"contact_id": contact_id}),
        reverse("portal:confirmation", kwargs={"contact_id": contact_id}),
        reverse("portal:children", kwargs={"draft_id": draft_id}),
        reverse("portal:child_add", kwargs={"draft_id": draft_id}),
        reverse("portal:concern", kwargs={"draft_id": draft_id}),
        reverse("portal:consent", kwargs={"draft_id": draft_id}),
        reverse("portal:referrer", kwargs={"draft_id": draft_id}),
        reverse("portal:check", kwargs={"draft_id": draft_id}),
        reverse("portal:draft_delete", kwargs={"draft_id": draft_id}),
    ]


def test_only_partners_use_the_portal(client, personas, submit):
    contact = submit(personas["partner"])
    draft = PortalDraft.objects.create(user=personas["partner"])
    for name in NOT_PARTNERS:
        client.force_login(personas[name])
        for page in portal_pages(contact.pk, draft.pk):
            assert client.get(page).status_code == 403, (name, page)
    client.logout()
    assert client.get(reverse("portal:submissions"))["Location"].startswith("/account/sign-in/")
    client.force_login(personas["nobody"])
    assert client.get(reverse("portal:submissions")).status_code == 403
    client.force_login(personas["partner"])
    for page in portal_pages(contact.pk, draft.pk):
        assert client.get(page).status_code in (200, 302), page


def test_a_partner_sees_only_their_own_organisations_submissions(
    client, personas, submit, school_partner
):
    police_contact = submit(personas["partner"], concern="Police concern about Kai.")
    school_contact = submit(school_partner, concern="School concern about Jo.")
    client.force_login(school_partner)
    listing = client.get(reverse("portal:submissions")).content.decode()
    assert school_contact.reference in listing
    assert police_contact.reference not in listing
    for name in ("submission", "confirmation"):
        page = reverse(f"portal:{name}", kwargs={"contact_id": police_contact.pk})
        assert client.get(page).status_code == 404
    own = client.get(reverse("portal:submission", kwargs={"contact_id": school_contact.pk}))
    assert "School concern about Jo." in own.content.decode()


def test_a_colleague_in_the_same_organisation_sees_the_submission(
    client, personas, submit, make_user
):
    from evident.accounts.roles import Role

    contact = submit(personas["partner"])
    colleague = make_user("colleague", Role.PARTNER, partner=True)
    client.force_login(colleague)
    response = client.get(reverse("portal:submission", kwargs={"contact_id": contact.pk}))
    assert response.status_code == 200


def test_a_partner_gets_404_for_a_contact_the_council_recorded(
    client, personas, make_contact, make_child
):
    contact = make_contact([make_child("Alex", "Smith")])
    client.force_login(personas["partner"])
    for name in ("submission", "confirmation"):
        page = reverse(f"portal:{name}", kwargs={"contact_id": contact.pk})
        assert client.get(page).status_code == 404
    assert contact.reference not in client.get(reverse("portal:submissions")).content.decode()


def _fill(route: str, values: dict[str, str]) -> str:
    """A concrete path for a route: each ``<converter:name>`` filled in."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name in values:
            return values[name]
        return str({"uuid": str(uuid.uuid4()), "int": "2026"}.get(converter, "contacts"))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_a_partner_reaches_no_page_but_the_portal_and_the_open_ones(
    client, personas, submit, make_contact, make_child
):
    """Walk every URL pattern as a partner, with real ids of their own submission, a
    council-recorded contact, a child on it and their own draft."""
    partner = personas["partner"]
    own = submit(partner)
    child = make_child("Alex", "Smith")
    council_contact = make_contact([child])
    draft = PortalDraft.objects.create(user=partner)
    client.force_login(partner)
    allowed = {"", "healthz", "accessibility", "account/sign-in/", "account/signed-out/"}
    reached = []
    for contact_id in (own.pk, council_contact.pk):
        ids = {"contact_id": str(contact_id), "person_id": str(child.pk), "draft_id": str(draft.pk)}
        for route, _pattern in ALL_PATTERNS:
            path = _fill(route, ids)
            status = client.get(path).status_code
            if route.startswith("portal/"):
                continue
            if status == 200:
                reached.append(route)
            else:
                assert status in (302, 401, 403, 404, 405), (path, status)
    assert set(reached) <= allowed, set(reached) - allowed
    # Every council page refusal is recorded.
    assert AuditEvent.objects.filter(actor=partner, action="denied").count() >= 20
    # ... and no child's record was read on the way.
    assert not AuditEvent.objects.filter(actor=partner, person__isnull=False).exists()


def test_the_outcome_is_shown_only_once_authorised(client, personas, submit, make_child):
    partner = personas["partner"]
    contact = submit(partner)
    page = reverse("portal:submission", kwargs={"contact_id": contact.pk})
    client.force_login(partner)

    def shown() -> str:
        return str(client.get(page).content.decode())

    assert "Received" in shown()
    assert "The outcome" not in shown()

    person = make_child("Kai", "Ward")
    row = ContactChild.objects.create(contact=contact, person=person)
    SubmittedChild.objects.filter(contact=contact).update(person=person)
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: (Decision.Outcome.EARLY_HELP, "Council's private rationale")},
    )
    proposed = shown()
    assert "Received" in proposed
    assert "early help" not in proposed

    services.contact_authorise(actor=personas["manager"], contact=contact, comment="Manager note")
    decided = shown()
    assert "Decision made" in decided
    assert "The family will be offered early help support." in decided
    # The council's reasoning and the child's record stay with the council.
    assert "Council's private rationale" not in decided
    assert "Manager note" not in decided
    assert person.council_id not in decided
    assert reverse("people:person", kwargs={"person_id": person.pk}) not in decided
    assert "Decision made" in client.get(reverse("portal:submissions")).content.decode()
    assert AuditEvent.objects.filter(
        actor=partner, section="portal.outcome", person=person
    ).exists()


def test_practitioners_see_which_contacts_came_through_the_portal(client, personas, submit):
    contact = submit(personas["partner"], actions_taken="Spoke to the child at school.")
    client.force_login(personas["practitioner"])
    tray = client.get(reverse("front_door:tray")).content.decode()
    assert f'id="portal-tag-{contact.pk}"' in tray
    assert "Kai Ward" in tray
    page = client.get(reverse("front_door:contact", kwargs={"contact_id": contact.pk}))
    text = page.content.decode()
    assert "Submitted through the partner portal" in text
    assert "Partner Tester" in text
    assert "Test Police" in text
    assert "Spoke to the child at school." in text
    assert "4 Mill Lane" in text
    assert 'id="find-or-add-prompt"' in text
