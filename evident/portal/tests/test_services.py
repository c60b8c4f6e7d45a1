from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from evident.api.services import api_token_create
from evident.audit.models import AuditEvent
from evident.core.codes import ReferralSource
from evident.front_door import services
from evident.front_door.models import Contact, ContactChild, Decision, SubmittedChild
from evident.portal.tests.conftest import submission

pytestmark = pytest.mark.django_db


def test_a_partner_submission_is_a_contact_from_their_organisation(personas, submit):
    partner = personas["partner"]
    contact = submit(partner)
    assert contact.reference.startswith("C-")
    assert contact.submitted_by == partner
    assert contact.submitting_organisation == partner.organisation
    assert contact.referrer_organisation == "Test Police"
    assert contact.source == ReferralSource.POLICE
    assert contact.recorded_by is None
    assert contact.closed_at is None
    child = SubmittedChild.objects.get(contact=contact)
    assert (child.full_name, child.postcode, child.person) == ("Kai Ward", "NB1 2CD", None)
    # A partner never creates a person record.
    assert not ContactChild.objects.filter(contact=contact).exists()
    event = AuditEvent.objects.get(section="portal.submission")
    assert event.record_id == str(contact.pk)
    assert event.detail["children"] == 1


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("police", "6"),
        ("school", "2A"),
        ("health", "3F"),
        ("housing", "4"),
        ("probation", "7"),
        ("other", "8"),
    ],
)
def test_the_source_comes_from_the_kind_of_organisation(kind, source):
    assert services.portal_source(organisation_kind=kind) == source


def test_a_health_partner_may_say_which_health_service():
    assert services.portal_source(organisation_kind="health", chosen="3A") == "3A"
    # A police force cannot claim to be a GP.
    assert services.portal_source(organisation_kind="police", chosen="3A") == "6"


def test_council_staff_cannot_submit_through_the_portal(personas):
    with pytest.raises(PermissionDenied):
        services.contact_submit(actor=personas["practitioner"], **submission())
    assert not Contact.objects.exists()


def test_a_bad_submission_names_each_field_and_saves_nothing(personas):
    with pytest.raises(ValidationError) as caught:
        services.contact_submit(
            actor=personas["partner"],
            **submission(
                children=[{"first_name": "Kai", "last_name": "Ward"}],
                concern=" ",
                consent="maybe",
                referrer_phone="",
            ),
        )
    problems = caught.value.message_dict
    assert problems["children"] == ["Enter the date of birth or approximate age of child 1"]
    assert problems["concern"] == ["Enter your concern"]
    assert problems["consent"] == ["Select whether the family knows and agrees"]
    assert problems["referrer_phone"] == ["Enter a phone number we can call you on"]
    assert not Contact.objects.exists()
    assert not SubmittedChild.objects.exists()


def test_refused_consent_needs_a_reason(personas):
    with pytest.raises(ValidationError) as caught:
        services.contact_submit(
            actor=personas["partner"], **submission(consent=Contact.Consent.REFUSED)
        )
    assert "consent_reason" in caught.value.message_dict


def _decide_and_authorise(contact, personas, make_child, outcome=Decision.Outcome.EARLY_HELP):
    person = make_child("Kai", "Ward")
    row = ContactChild.objects.create(contact=contact, person=person)
    SubmittedChild.objects.filter(contact=contact).update(person=person)
    services.contact_decide(
        actor=personas["practitioner"], contact=contact, decisions={row.pk: (outcome, "Why")}
    )
    return services.contact_authorise(actor=personas["manager"], contact=contact)


def test_the_referrer_is_emailed_once_the_decision_is_authorised(
    personas, submit, make_child, django_capture_on_commit_callbacks
):
    partner = personas["partner"]
    partner.email = "partner@example.org"
    partner.save()
    contact = submit(partner)
    with django_capture_on_commit_callbacks(execute=True):
        _decide_and_authorise(contact, personas, make_child)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["partner@example.org"]
    assert sent.subject == f"Your concern {contact.reference} has been decided"
    assert "early help" in sent.body
    # Email leaves the system: no child's name in it.
    assert "Kai" not in sent.body


def test_an_api_notice_is_answered_at_the_address_given_with_it(
    personas, submit, make_child, django_capture_on_commit_callbacks
):
    # An API token's service account has no email address of its own: the outcome goes
    # to the address the partner's system sent with the notice (it was never sent before).
    account = api_token_create(
        organisation=personas["partner"].organisation, name="PPN sender"
    ).api_token.account
    assert account.email == ""
    contact = submit(account)
    with django_capture_on_commit_callbacks(execute=True):
        _decide_and_authorise(contact, personas, make_child, outcome=Decision.Outcome.REFERRAL)
    [sent] = mail.outbox
    assert sent.to == ["dana.webb@example.org"]
    assert "Kai" not in sent.body


def test_a_council_recorded_contact_sends_no_portal_email(
    personas, make_contact, make_child, django_capture_on_commit_callbacks
):
    contact = make_contact([make_child()])
    row = contact.children.get()
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={row.pk: (Decision.Outcome.NO_FURTHER_ACTION, "Why")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_authorise(actor=personas["manager"], contact=contact)
    assert mail.outbox == []


def test_a_partner_sees_exactly_their_organisations_contacts(
    personas, submit, school_partner, make_contact, make_child
):
    from evident.front_door.selectors import contacts_visible_to

    police = submit(personas["partner"])
    school = submit(school_partner)
    council = make_contact([make_child()])
    assert list(contacts_visible_to(personas["partner"])) == [police]
    assert list(contacts_visible_to(school_partner)) == [school]
    # Council staff still see every contact, whoever sent it.
    assert set(contacts_visible_to(personas["practitioner"])) == {police, school, council}
