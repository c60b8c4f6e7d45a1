from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from evident.audit.models import AuditEvent
from evident.front_door import services
from evident.front_door.models import Decision
from evident.front_door.tests.conftest import frozen, london, mash_answers

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
READERS = {"practitioner", "socialworker", "manager"}
RECORDERS = {"practitioner", "manager"}
MANAGERS = {"manager"}
TUESDAY_9AM = london(2026, 11, 24, 9, 0)


@pytest.fixture
def contact(make_contact, two_children):
    return make_contact(two_children)


def _pages(contact_id: uuid.UUID) -> list[tuple[str, set[str]]]:
    return [
        (reverse("front_door:tray"), READERS),
        (reverse("front_door:tray_clocks") + f"?c={contact_id}", READERS),
        (reverse("front_door:contact", kwargs={"contact_id": contact_id}), READERS),
        (reverse("front_door:contact_children"), RECORDERS),
        (reverse("front_door:contact_new_child"), RECORDERS),
        (reverse("front_door:contact_details"), RECORDERS),
        (reverse("front_door:contact_recorded", kwargs={"contact_id": contact_id}), RECORDERS),
        (reverse("front_door:decide", kwargs={"contact_id": contact_id}), RECORDERS),
        (reverse("front_door:authorisations"), MANAGERS),
        (reverse("front_door:authorise", kwargs={"contact_id": contact_id}), MANAGERS),
    ]


def test_each_page_answers_the_roles_allowed_and_refuses_everyone_else(client, personas, contact):
    for name in EVERYONE:
        client.force_login(personas[name])
        for url, allowed in _pages(contact.pk):
            with frozen(TUESDAY_9AM):
                response = client.get(url)
            expected = 200 if name in allowed else 403
            assert response.status_code == expected, (name, url, response.status_code)


def test_signed_out_visitors_are_sent_to_sign_in(client, contact):
    response = client.get(reverse("front_door:contact", kwargs={"contact_id": contact.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["contact", "decide", "authorise", "contact_recorded"])
def test_an_unknown_contact_is_not_found(client, personas, name):
    client.force_login(personas["manager"])
    response = client.get(reverse(f"front_door:{name}", kwargs={"contact_id": uuid.uuid4()}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/front-door/contacts/12345/", "/front-door/contacts/not-a-uuid/decide/"]
)
def test_a_malformed_contact_id_is_not_found(client, personas, path):
    client.force_login(personas["manager"])
    assert client.get(path).status_code == 404


def test_a_partner_cannot_see_a_contact(client, personas, contact):
    client.force_login(personas["partner"])
    response = client.get(reverse("front_door:contact", kwargs={"contact_id": contact.pk}))
    assert response.status_code == 403
    assert contact.reference not in response.content.decode()


# The tray ---------------------------------------------------------------------------------


def test_the_tray_shows_open_contacts_with_time_left_and_rag_and_audits_the_children(
    client, personas, contact, two_children
):
    client.force_login(personas["practitioner"])
    before = AuditEvent.objects.filter(section="front_door.tray").count()
    with frozen(TUESDAY_9AM):
        response = client.get(reverse("front_door:tray"))
    html = response.content.decode()
    assert contact.reference in html
    assert "Alex Smith" in html
    assert "Billie Smith" in html
    assert "1 hour left" in html
    assert 'class="govuk-tag evident-rag--amber"' in html
    assert "Due soon" in html
    assert "Awaiting decision" in html
    assert "Record a contact" in html
    # Live time left: one poll a minute for the clocks on this page.
    assert 'hx-trigger="every 60s"' in html
    assert f"c={contact.pk}" in html
    events = AuditEvent.objects.filter(section="front_door.tray")
    assert events.count() - before == 2
    assert {e.person_id for e in events} == {child.pk for child in two_children}


def test_social_workers_read_the_tray_without_the_record_button(client, personas, contact):
    client.force_login(personas["socialworker"])
    response = client.get(reverse("front_door:tray"))
    assert contact.reference in response.content.decode()
    assert "Record a contact" not in response.content.decode()


def test_the_clocks_partial_rerenders_only_time_left_and_rag_and_is_not_audited(
    client, personas, contact
):
    client.force_login(personas["practitioner"])
    before = AuditEvent.objects.count()
    with frozen(london(2026, 11, 24, 10, 30)):
        response = client.get(
            reverse("front_door:tray_clocks") + f"?c={contact.pk}&c=nonsense",
            HTTP_HX_REQUEST="true",
        )
    html = response.content.decode()
    assert f'id="time-left-{contact.pk}" hx-swap-oob="true"' in html
    assert "Overdue by 30 minutes" in html
    assert f'id="rag-{contact.pk}"' in html
    assert "evident-rag--red" in html
    assert "Overdue" in html
    assert "Smith" not in html
    assert "<html" not in html
    assert AuditEvent.objects.count() == before


def test_the_tray_runs_a_fixed_number_of_queries_however_many_contacts(
    client, personas, make_contact, make_child, django_assert_max_num_queries
):
    client.force_login(personas["practitioner"])
    for number in range(3):
        make_contact([make_child(f"Child{number}"), make_child(f"Sibling{number}")])
    # 18: the practitioners (the "allocated to" filter), the user's teams (team trays),
    # the urgency standards (each row's MASH response time), and the closure days when
    # the working-day calendar is not yet cached.
    with django_assert_max_num_queries(18):
        small = client.get(reverse("front_door:tray"))
    for number in range(3, 30):
        make_contact([make_child(f"Child{number}"), make_child(f"Sibling{number}")])
    with django_assert_max_num_queries(18):
        large = client.get(reverse("front_door:tray"))
    assert small.content.decode().count("<tr") == 4
    assert large.content.decode().count("<tr") == 26  # the header and a full page of 25


def test_the_tray_pages_by_twenty_five(client, personas, make_contact, make_child):
    child = make_child()
    for _ in range(26):
        make_contact([child])
    client.force_login(personas["practitioner"])
    first = client.get(reverse("front_door:tray")).content.decode()
    second = client.get(reverse("front_door:tray") + "?page=2").content.decode()
    # Rows, not references: each row's "Take" button names its contact's reference too.
    assert first.count('id="contact-') == 25
    assert second.count('id="contact-') == 1
    assert 'aria-label="Pagination"' in first


# The contact page -------------------------------------------------------------------------


def test_the_contact_page_shows_the_children_and_audits_one_read_each(
    client, personas, contact, two_children
):
    client.force_login(personas["socialworker"])
    with frozen(TUESDAY_9AM):
        response = client.get(reverse("front_door:contact", kwargs={"contact_id": contact.pk}))
    html = response.content.decode()
    for child in two_children:
        assert reverse("people:person", kwargs={"person_id": child.pk}) in html
    assert "Police attended a domestic incident" in html
    assert "Due soon" in html
    assert "Record decisions" not in html  # social workers read; they do not decide
    events = AuditEvent.objects.filter(
        section="front_door.contact", action=AuditEvent.Action.VIEW, actor=personas["socialworker"]
    )
    assert sorted(str(e.person_id) for e in events) == sorted(str(c.pk) for c in two_children)


# Deciding and authorising -----------------------------------------------------------------


def test_a_decision_without_rationale_is_refused_with_an_error_summary(client, personas, contact):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"outcome_1": "nfa", "rationale_1": "Safe", "outcome_2": "nfa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert (
        '<a href="#id_rationale_2">Enter the rationale for the decision about Billie Smith</a>'
        in html
    )
    assert "\nSafe</textarea>" in html  # what was typed is kept
    assert not Decision.objects.exists()


def test_a_manager_sees_they_cannot_authorise_their_own_proposal(client, personas, contact):
    services.contact_decide(
        actor=personas["manager"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in contact.children.all()},
    )
    client.force_login(personas["manager"])
    url = reverse("front_door:authorise", kwargs={"contact_id": contact.pk})
    page = client.get(url).content.decode()
    assert "another manager must authorise it" in page
    assert 'value="authorise"' not in page
    assert 'value="return"' in page
    response = client.post(url, {"action": "authorise", "comment": ""})
    assert "govuk-error-summary" in response.content.decode()
    assert not Decision.objects.filter(status="authorised").exists()


def test_returning_without_a_comment_shows_an_error(client, personas, contact):
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in contact.children.all()},
    )
    client.force_login(personas["manager"])
    url = reverse("front_door:authorise", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"action": "return", "comment": " "})
    html = response.content.decode()
    assert '<a href="#id_comment">Enter a comment to say what more work is needed</a>' in html
    assert set(Decision.objects.values_list("status", flat=True)) == {"proposed"}


def test_the_authorisations_list_shows_waiting_contacts(client, personas, contact):
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("advice", "Advice to mother") for row in contact.children.all()},
        now=london(2026, 11, 23, 11, 0),
    )
    client.force_login(personas["manager"])
    with frozen(london(2026, 11, 23, 14, 5)):
        html = client.get(reverse("front_door:authorisations")).content.decode()
    assert contact.reference in html
    assert "3\xa0hours, 5\xa0minutes" in html
    assert "Information and advice" in html
    assert "On track" in html
    assert AuditEvent.objects.filter(section="front_door.authorisations").count() == 2


def test_a_returned_decision_shows_the_managers_comment_and_can_be_proposed_again(
    client, personas, contact
):
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: ("nfa", "Safe") for row in contact.children.all()},
    )
    services.contact_return(
        actor=personas["manager"], contact=contact, comment="Speak to the health visitor"
    )
    client.force_login(personas["practitioner"])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    page = client.get(url).content.decode()
    assert "Returned for more work: Speak to the health visitor" in page
    response = client.post(
        url,
        {
            "outcome_1": "early_help",
            "rationale_1": "Health visitor agrees",
            "outcome_2": "early_help",
            "rationale_2": "Health visitor agrees",
            **mash_answers(2),
        },
    )
    assert response.status_code == 302
    assert set(Decision.objects.values_list("status", "outcome")) == {("proposed", "early_help")}
