"""Outcomes that carry on, in headless Chromium: a referral lands in the duty team's tray
and is allocated; early help is shown on the contact and updated. Every page is checked
with axe-core against WCAG 2.2 AA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.casework.models import Episode
from evident.core.codes import ReferralSource
from evident.front_door import services
from evident.front_door.models import Contact, Decision, EarlyHelpEpisode
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.models import Person
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_referral_and_early_help_carry_on(page, personas):  # noqa: F811
    front_door_defaults_ensure()
    team = team_get_or_create(name="Duty and Assessment", kind=Team.Kind.DUTY_ASSESSMENT)
    personas["socialworker"].teams.add(team)
    personas["manager"].teams.add(team)
    referred = Person.objects.create(council_id="BR0000001", first_name="Ivy", last_name="Reed")
    helped = Person.objects.create(council_id="BR0000002", first_name="Otto", last_name="Reed")
    now = timezone.now()
    contact = services.contact_record(
        actor=personas["practitioner"],
        received_at=now - timedelta(hours=1),
        source=ReferralSource.POLICE,
        concern="Police attended a domestic incident.",
        consent=Contact.Consent.GIVEN,
        children=[referred.pk, helped.pk],
        referrer_email="officer@police.example",
    )
    rows = {row.person_id: row.pk for row in contact.children.all()}
    services.contact_decide(
        actor=personas["practitioner"],
        contact=contact,
        decisions={
            rows[referred.pk]: (Decision.Outcome.STRATEGY_DISCUSSION, "Significant harm"),
            rows[helped.pk]: (Decision.Outcome.EARLY_HELP, "Family support"),
        },
    )
    services.contact_authorise(actor=personas["manager"], contact=contact)
    episode = Episode.objects.get()
    early_help = EarlyHelpEpisode.objects.get()

    # The manager sees the referral in the tray, flagged, and allocates it.
    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Referrals").click()
    assert page.locator(f"#strategy-{episode.pk}").inner_text() == "Strategy discussion due today"
    shot(page, "outcomes-01-referrals")
    page.click(f"#allocate-{episode.pk}")
    page.click("#allocate")
    assert page.locator(".govuk-error-summary").count() == 1
    shot(page, "outcomes-02-allocate-error")
    page.get_by_label("Socialworker Tester").check()
    page.click("#allocate")
    page.wait_for_url("**/casework/referrals/")
    assert "Socialworker Tester" in page.locator(f"#referral-{episode.pk}").inner_text()
    sign_out(page)

    # The practitioner sees what happens next on the contact and updates the early help.
    sign_in(page, "practitioner")
    page.goto(page.base + f"/front-door/contacts/{contact.pk}/")
    assert page.locator("#carried-on").count() == 1
    shot(page, "outcomes-03-contact")
    page.click(f"#update-early-help-{early_help.pk}")
    page.fill("#id_organisation_completing", "")
    page.click("#save-early-help")
    assert page.locator(".govuk-error-summary").count() == 1
    shot(page, "outcomes-04-early-help-error")
    page.fill("#id_organisation_completing", "Northtown Family Hub")
    page.fill("#id_lead_professional", "Sam Patel")
    page.click("#save-early-help")
    page.wait_for_url(f"**/front-door/contacts/{contact.pk}/")
    assert "Lead professional: Sam Patel" in page.locator("#carried-on").inner_text()

    assert page.csp_violations == []
    assert page.accessibility_violations == []
