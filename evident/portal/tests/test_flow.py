"""The question flow end to end with the test client, one page at a time."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from evident.accounts.models import Organisation
from evident.accounts.roles import Role
from evident.accounts.services import user_create
from evident.core.codes import ReferralSource
from evident.front_door.models import Contact, SubmittedChild
from evident.portal.models import PortalDraft

pytestmark = pytest.mark.django_db

CHILD = {
    "first_name": "Kai",
    "last_name": "Ward",
    "date_of_birth_day": "3",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2016",
    "approximate_age": "",
    "address": "4 Mill Lane",
    "postcode": "NB1 2CD",
    "school": "",
}
CONSENT = {
    "actions_taken": "Told our safeguarding lead.",
    "consent": "dispensed",
    "consent_reason": "",
}
REFERRER = {
    "referrer_name": "PC Dana Webb",
    "job_title": "Police constable",
    "referrer_phone": "01632 960123",
    "referrer_email": "dana.webb@example.org",
}


def url(name: str, draft: PortalDraft, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"draft_id": draft.pk, **kwargs})


def start(client: Client) -> PortalDraft:
    response = client.post(reverse("portal:start"))
    draft = PortalDraft.objects.get()
    assert response["Location"] == url("child_add", draft)
    return draft


def test_the_start_page_steers_urgent_concerns_to_the_phone(client, personas, settings):
    settings.EVIDENT_FRONT_DOOR_PHONE = "01632 960999"
    client.force_login(personas["partner"])
    page = client.get(reverse("portal:start")).content.decode()
    assert "If a child is in immediate danger call 999" in page
    assert "call the front door on" in page
    assert "01632 960999" in page
    assert not PortalDraft.objects.exists()  # nothing is started until "Start now"


def test_a_partner_submits_a_concern_one_question_at_a_time(client, personas):
    partner = personas["partner"]
    partner.email = "partner@example.org"
    partner.job_title = "Detective constable"
    partner.save()
    client.force_login(partner)
    draft = start(client)

    response = client.post(url("child_add", draft), CHILD)
    assert response["Location"] == url("children", draft)
    assert "Kai Ward" in client.get(url("children", draft)).content.decode()
    response = client.post(url("children", draft), {"add_another": "yes"})
    assert response["Location"] == url("child_add", draft)
    sibling = {**CHILD, "first_name": "Mae", "date_of_birth_day": "", "date_of_birth_month": ""}
    sibling.update(date_of_birth_year="", approximate_age="about 4")
    client.post(url("child_add", draft), sibling)
    response = client.post(url("children", draft), {"add_another": "no"})
    assert response["Location"] == url("concern", draft)

    response = client.post(url("concern", draft), {"concern": "Kai said he was hit."})
    assert response["Location"] == url("consent", draft)
    response = client.post(url("consent", draft), CONSENT)
    assert response["Location"] == url("referrer", draft)

    # Contact details are pre-filled from the account.
    page = client.get(url("referrer", draft)).content.decode()
    assert 'value="partner@example.org"' in page
    assert 'value="Detective constable"' in page
    response = client.post(url("referrer", draft), REFERRER)
    assert response["Location"] == url("check", draft)

    check = client.get(url("check", draft)).content.decode()
    for text in (
        "Kai Ward",
        "Mae Ward",
        "Age about about 4",
        "Kai said he was hit.",
        "01632 960123",
    ):
        assert text in check
    assert url("concern", draft) + "?change=1" in check
    assert not Contact.objects.exists()  # nothing is sent before "Send concern"

    response = client.post(url("check", draft))
    contact = Contact.objects.get()
    assert response["Location"] == reverse("portal:confirmation", kwargs={"contact_id": contact.pk})
    assert not PortalDraft.objects.exists()  # the draft is consumed
    confirmation = client.get(response["Location"]).content.decode()
    assert contact.reference in confirmation
    assert [c.full_name for c in SubmittedChild.objects.order_by("id")] == ["Kai Ward", "Mae Ward"]
    assert contact.consent == Contact.Consent.DISPENSED
    assert contact.referrer_name == "PC Dana Webb (Police constable)"

    listing = client.get(reverse("portal:submissions")).content.decode()
    assert contact.reference in listing
    assert "Received" in listing


def test_the_draft_is_kept_between_steps_and_across_a_new_sign_in(personas):
    partner = personas["partner"]
    first = Client()
    first.force_login(partner)
    draft = start(first)
    first.post(url("child_add", draft), CHILD)
    first.post(url("concern", draft), {"concern": "Bruises seen at school."})
    first.post(reverse("accounts:logout"))

    later = Client()  # a new session, another day
    later.force_login(partner)
    listing = later.get(reverse("portal:submissions")).content.decode()
    assert "Your drafts" in listing
    assert "Kai Ward" in listing
    assert "Bruises seen at school." in later.get(url("concern", draft)).content.decode()
    # Continuing goes to the first question still to answer.
    assert later.get(url("check", draft))["Location"] == url("consent", draft)


def test_bad_answers_name_the_field_and_change_nothing(client, personas):
    client.force_login(personas["partner"])
    draft = start(client)
    response = client.post(
        url("child_add", draft),
        {**CHILD, "first_name": "", "date_of_birth_day": "31", "date_of_birth_month": "2"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert '<a href="#id_first_name">Enter the child&#x27;s first name</a>' in page
    assert "The date of birth must be a real date" in page
    assert 'value="Ward"' in page  # what was typed is kept
    draft.refresh_from_db()
    assert draft.data["children"] == []

    client.post(url("child_add", draft), CHILD)
    response = client.post(url("consent", draft), {**CONSENT, "consent": "refused"})
    page = response.content.decode()
    assert "#id_consent_reason" in page
    assert "Enter why you are making the referral without the family" in page
    response = client.post(url("referrer", draft), {**REFERRER, "referrer_email": "not-an-email"})
    assert "Enter an email address like name@example.org" in response.content.decode()
    response = client.post(url("concern", draft), {"concern": ""})
    assert '<a href="#id_concern">Enter your concern</a>' in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["consent"] is None
    assert draft.data["referrer"] is None
    assert draft.data["concern"] is None
    # Sending an unfinished draft sends nothing: it goes back to the first question left.
    response = client.post(url("check", draft))
    assert response["Location"] == url("concern", draft)
    assert not Contact.objects.exists()


def test_a_child_needs_a_date_of_birth_or_an_approximate_age(client, personas):
    client.force_login(personas["partner"])
    draft = start(client)
    response = client.post(
        url("child_add", draft),
        {**CHILD, "date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
    )
    assert (
        '<a href="#id_date_of_birth_0">Enter the child&#x27;s date of birth or their approximate'
        in response.content.decode()
    )


def _complete(client: Client) -> PortalDraft:
    draft = start(client)
    client.post(url("child_add", draft), CHILD)
    client.post(url("concern", draft), {"concern": "Kai said he was hit."})
    client.post(url("consent", draft), CONSENT)
    client.post(url("referrer", draft), REFERRER)
    return draft


def test_pressing_send_twice_sends_one_concern(client, personas):
    client.force_login(personas["partner"])
    draft = _complete(client)
    first = client.post(url("check", draft))
    second = client.post(url("check", draft))
    assert Contact.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_changing_an_answer_returns_to_check_your_answers(client, personas):
    client.force_login(personas["partner"])
    draft = _complete(client)
    response = client.post(url("concern", draft), {"concern": "Changed.", "change": "1"})
    assert response["Location"] == url("check", draft)
    response = client.post(url("child_change", draft, index=0), {**CHILD, "first_name": "Kia"})
    assert "Kia Ward" in client.get(url("check", draft)).content.decode()
    client.post(url("child_remove", draft, index=0))
    draft.refresh_from_db()
    assert draft.data["children"] == []
    assert client.get(url("check", draft))["Location"] == url("children", draft)


def test_a_draft_can_be_deleted(client, personas):
    client.force_login(personas["partner"])
    draft = _complete(client)
    assert "Delete this draft?" in client.get(url("draft_delete", draft)).content.decode()
    response = client.post(url("draft_delete", draft))
    assert response["Location"] == reverse("portal:submissions")
    assert not PortalDraft.objects.exists()
    assert not Contact.objects.exists()


def test_nobody_else_can_open_or_send_a_partners_draft(client, personas, school_partner):
    client.force_login(personas["partner"])
    draft = _complete(client)
    other = Client()
    other.force_login(school_partner)
    for name in ("children", "concern", "consent", "referrer", "check", "draft_delete"):
        assert other.get(url(name, draft)).status_code == 404, name
    assert other.post(url("check", draft)).status_code == 404
    assert other.post(url("draft_delete", draft)).status_code == 404
    assert PortalDraft.objects.filter(pk=draft.pk).exists()
    assert not Contact.objects.exists()


def test_a_health_referrer_says_which_service_and_it_becomes_the_census_source(client, db):
    hospital = Organisation.objects.create(name="Northbridge NHS Trust", kind="health")
    nurse = user_create(
        username="nurse",
        first_name="Nia",
        last_name="Nurse",
        organisation=hospital,
        roles=[Role.PARTNER],
        teams=[],
        password="a-long-test-passphrase-123",
    )
    client.force_login(nurse)
    draft = start(client)
    client.post(url("child_add", draft), CHILD)
    client.post(url("concern", draft), {"concern": "Kai came in with a burn."})
    client.post(url("consent", draft), CONSENT)
    assert (
        "Which health service do you work in?"
        in client.get(url("referrer", draft)).content.decode()
    )
    client.post(url("referrer", draft), {**REFERRER, "health_service": ReferralSource.HEALTH_AE})
    check = client.get(url("check", draft)).content.decode()
    assert "Accident and emergency (A&amp;E)" in check
    client.post(url("check", draft))
    assert Contact.objects.get().source == ReferralSource.HEALTH_AE


def test_other_partners_are_not_asked_for_a_health_service(client, personas):
    client.force_login(personas["partner"])  # a police force
    draft = _complete(client)
    assert "Which health service" not in client.get(url("referrer", draft)).content.decode()
    # A health service posted anyway does not change a police force's source.
    client.post(url("referrer", draft), {**REFERRER, "health_service": ReferralSource.HEALTH_GP})
    client.post(url("check", draft))
    assert Contact.objects.get().source == ReferralSource.POLICE
