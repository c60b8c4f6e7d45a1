"""Edit conflicts: two practitioners on one contact. The second save is refused with a
clear message, their text is kept, and nothing of theirs is saved."""

from __future__ import annotations

import re
import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from evident.accounts.roles import Role
from evident.front_door import services
from evident.front_door.models import Contact, Decision
from evident.front_door.tests.conftest import MONDAY_10AM, mash_answers

NFA = Decision.Outcome.NO_FURTHER_ACTION


@pytest.fixture
def contact(make_contact, make_child):
    return make_contact([make_child("Ola")])


@pytest.fixture
def colleague(make_user):
    return make_user("colleague", Role.PRACTITIONER)


def _decisions(contact, outcome=NFA, rationale="Safe"):
    return {row.pk: (outcome, rationale) for row in contact.children.all()}


def test_every_change_to_a_contact_raises_its_version(contact, personas, colleague):
    assert contact.version == 1
    services.contact_decide(
        actor=personas["practitioner"], contact=contact, decisions=_decisions(contact)
    )
    contact.refresh_from_db()
    assert contact.version == 2
    services.contact_return(actor=personas["manager"], contact=contact, comment="More")
    contact.refresh_from_db()
    assert contact.version == 3
    services.contacts_allocate(actor=personas["manager"], contacts=[contact], to=colleague)
    contact.refresh_from_db()
    assert contact.version == 4
    services.contact_decide(actor=colleague, contact=contact, decisions=_decisions(contact))
    services.contact_authorise(actor=personas["manager"], contact=contact)
    contact.refresh_from_db()
    assert contact.version == 6
    assert contact.closed_at is not None


def test_a_decision_from_an_out_of_date_version_is_refused_and_nothing_saved(
    contact, personas, colleague
):
    services.contact_decide(
        actor=personas["practitioner"], contact=contact, decisions=_decisions(contact), version=1
    )
    with pytest.raises(services.ContactChangedError) as refused:
        services.contact_decide(
            actor=colleague,
            contact=contact,
            decisions=_decisions(contact, Decision.Outcome.REFERRAL, "Refer"),
            version=1,
        )
    assert refused.value.messages == [services.CONFLICT_MESSAGE]
    decision = Decision.objects.get(contact_child__contact=contact)
    assert decision.decided_by == personas["practitioner"]
    assert decision.rationale == "Safe"
    contact.refresh_from_db()
    assert contact.version == 2


def test_the_second_practitioner_keeps_their_text_and_sees_the_conflict(
    contact, personas, colleague
):
    first, second = Client(), Client()
    first.force_login(personas["practitioner"])
    second.force_login(colleague)
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    # Both open the page at version 1.
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(url).content.decode()
    saved = first.post(
        url,
        {
            **mash_answers(1),
            "version": "1",
            "outcome_1": "nfa",
            "rationale_1": "Spoke to the school: safe",
        },
    )
    assert saved.status_code == 302
    typed = {
        **mash_answers(1),
        "outcome_1": "referral",
        "rationale_1": "Police log shows three callouts",
    }
    refused = second.post(url, {**typed, "version": "1"})
    page = unescape(refused.content.decode())
    assert refused.status_code == 200
    assert "There is a problem" in page
    assert services.CONFLICT_MESSAGE in page
    # Their text is kept, the first practitioner's proposal is shown, and the page now
    # carries the latest version so that saving again goes through.
    assert "Police log shows three callouts</textarea>" in page
    assert re.search(r'value="referral"[^>]*checked', page)
    assert "Proposed by Practitioner Tester" in page
    assert "Spoke to the school: safe" in page
    assert 'name="version" value="2"' in page
    decision = Decision.objects.get(contact_child__contact=contact)
    assert decision.decided_by == personas["practitioner"]
    assert decision.outcome == NFA
    again = second.post(url, {**typed, "version": "2"})
    assert again.status_code == 302
    decision.refresh_from_db()
    assert decision.decided_by == colleague
    assert decision.outcome == Decision.Outcome.REFERRAL


def test_a_reallocation_meanwhile_also_counts_as_a_change(client, contact, personas, colleague):
    client.force_login(personas["practitioner"])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    client.get(url)
    services.contacts_allocate(actor=personas["manager"], contacts=[contact], to=colleague)
    refused = client.post(
        url, {**mash_answers(1), "version": "1", "outcome_1": "nfa", "rationale_1": "Safe"}
    )
    assert services.CONFLICT_MESSAGE in unescape(refused.content.decode())
    assert not Decision.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the lock is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_from_one_version_let_exactly_one_through(
    personas, make_child, colleague
):
    contact = services.contact_record(
        actor=personas["practitioner"],
        received_at=MONDAY_10AM,
        source="6",
        concern="Concern",
        consent=Contact.Consent.GIVEN,
        children=[make_child("Ola").pk],
        now=MONDAY_10AM,
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor, rationale):
        try:
            start.wait(timeout=10)
            services.contact_decide(
                actor=actor,
                contact=contact,
                decisions=_decisions(contact, NFA, rationale),
                version=1,
            )
            outcomes.append("saved")
        except services.ContactChangedError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(personas["practitioner"], "First")),
        threading.Thread(target=decide, args=(colleague, "Second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    contact.refresh_from_db()
    assert contact.version == 2
    assert Decision.objects.filter(contact_child__contact=contact).count() == 1


@pytest.mark.parametrize("name", ["socialworker", "partner", "analyst", "nobody"])
def test_people_who_cannot_decide_cannot_post_a_decision(client, contact, personas, name):
    client.force_login(personas[name])
    url = reverse("front_door:decide", kwargs={"contact_id": contact.pk})
    response = client.post(url, {"version": "1", "outcome_1": "nfa", "rationale_1": "Safe"})
    assert response.status_code == 403
    assert not Decision.objects.exists()
