"""One child's journey in headless Chromium: a referral recorded in casework, allocated,
assessed, a strategy discussion and section 47 enquiry, an initial conference that makes a
plan, a visit, a review that ends the plan, authorisation and closure; then the child's
chronology and the due tray. Every page is checked with axe-core and for CSP violations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.casework.models import ChildProtectionPlan, Episode
from evident.core.clocks import LONDON
from evident.people.models import Person
from tests.browser.test_contact_to_annex_a import page, shot, sign_in, sign_out  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name: str, day: date) -> None:  # noqa: F811
    page.fill(f"[name={name}_day]", str(day.day))
    page.fill(f"[name={name}_month]", str(day.month))
    page.fill(f"[name={name}_year]", str(day.year))


def step(page, slug: str) -> None:  # noqa: F811
    page.click(f"#step-{slug}")


def save(page, episode: Episode) -> None:  # noqa: F811
    page.click("#save")
    page.wait_for_url(f"**/casework/episodes/{episode.pk}/")


def test_one_child_from_referral_to_closure(page, personas):  # noqa: F811
    team = team_get_or_create(name="Duty and Assessment", kind=Team.Kind.DUTY_ASSESSMENT)
    personas["socialworker"].teams.add(team)
    personas["manager"].teams.add(team)
    Person.objects.create(
        council_id="CJ0000001",
        first_name="Poppy",
        last_name="Journey",
        date_of_birth=date(2016, 5, 1),
    )
    today = timezone.now().astimezone(LONDON).date()
    referred = today - timedelta(days=80)

    # The social worker records a referral that did not come through the front door.
    sign_in(page, "socialworker")
    page.goto(page.base + "/casework/referrals/new/")
    page.fill("#id_council_id", "CJ0000001")
    fill_date(page, "referral_date", referred)
    page.select_option("#id_source", "2A")
    page.check(f"input[name=team][value='{team.pk}']")
    page.click("#save")
    episode = Episode.objects.get()
    page.wait_for_url(f"**/casework/episodes/{episode.pk}/")
    shot(page, "child-01-episode")
    sign_out(page)

    # The manager allocates it.
    sign_in(page, "manager")
    page.goto(page.base + f"/casework/referrals/{episode.pk}/allocate/")
    page.get_by_label("Socialworker Tester").check()
    page.click("#allocate")
    page.wait_for_url("**/casework/referrals/")
    sign_out(page)

    sign_in(page, "socialworker")
    page.goto(page.base + f"/casework/episodes/{episode.pk}/")
    step(page, "assessment-start")
    fill_date(page, "start_date", referred + timedelta(days=1))
    save(page, episode)

    step(page, "assessment-record")
    page.check("input[name=factors][value='3B']")
    page.check("input[name=factors][value='18C']")
    page.check("input[name=outcome][value=strategy]")
    page.select_option("#id_primary_need", "N1")
    fill_date(page, "completed_on", referred + timedelta(days=10))
    page.fill("#id_child_views", "Poppy said she hides when dad shouts")
    shot(page, "child-02-assessment")
    save(page, episode)

    step(page, "strategy-discussion")
    fill_date(page, "held_on", referred + timedelta(days=5))
    for agency in ("police", "health", "social_care"):
        page.check(f"input[name=agencies][value={agency}]")
    page.check("input[name=decision][value=s47]")
    page.fill("#id_rationale", "Bruising seen at school; reasonable cause to suspect harm")
    save(page, episode)

    step(page, "section47-outcome")
    page.check("input[name=outcome][value=icpc]")
    fill_date(page, "completed_on", referred + timedelta(days=12))
    save(page, episode)

    # A conference dated before the strategy discussion is refused, with the reason.
    step(page, "initial-conference")
    fill_date(page, "held_on", referred + timedelta(days=3))
    page.check("input[name=plan_made][value=yes]")
    page.select_option("#id_category", "PHY")
    page.fill("#id_rationale", "Continuing risk of physical harm")
    page.fill("#id_child_views", "Poppy wants to stay at her school")
    page.click("#save")
    assert "before the strategy discussion" in page.locator(".govuk-error-summary").inner_text()
    shot(page, "child-03-conference-refused")
    fill_date(page, "held_on", referred + timedelta(days=15))
    save(page, episode)
    assert "Child Protection plan" in page.locator("#case-status").inner_text()

    step(page, "visit")
    page.check("input[name=purpose][value=cp_plan]")
    fill_date(page, "visited_on", referred + timedelta(days=20))
    page.check("input[name=child_seen][value=yes]")
    page.check("input[name=seen_alone][value=yes]")
    page.fill("#id_child_said", "Things are calmer at home")
    save(page, episode)

    # The worker's due tray shows the plan's clocks, most urgent first.
    page.goto(page.base + "/casework/due/")
    due = page.locator("#due").inner_text()
    assert "First core group" in due
    assert "Review conference" in due
    assert "Assessment authorised" in due
    shot(page, "child-07-due")
    page.goto(page.base + f"/casework/episodes/{episode.pk}/")

    step(page, "review-conference")
    fill_date(page, "held_on", referred + timedelta(days=40))
    page.check("input[name=plan_continues][value=no]")
    page.select_option("#id_end_reason", "to_cin")
    page.fill("#id_rationale", "Risk reduced; family engaging")
    save(page, episode)
    assert ChildProtectionPlan.objects.get().end_date == referred + timedelta(days=40)
    shot(page, "child-04-episode-after-review")
    sign_out(page)

    # The manager sees the caseload, and the child on the panel's list (stepped down), and
    # records the panel's decision.
    sign_in(page, "manager")
    page.goto(page.base + "/casework/caseloads/")
    assert "Poppy Journey" in page.locator("#caseloads").inner_text()
    shot(page, "child-08-caseloads")
    page.goto(page.base + "/casework/panel/")
    assert "Stepped down from a protection plan" in page.locator("#panel").inner_text()
    page.get_by_role("link", name="Record the panel's decision on Poppy Journey").click()
    fill_date(page, "held_on", today)
    page.check("input[name=decision][value=close]")
    page.fill("#id_actions", "Close with a letter to the family and the school")
    save(page, episode)
    page.goto(page.base + "/casework/panel/")
    assert "Close with a letter" in page.locator("#panel").inner_text()
    shot(page, "child-09-panel")

    # The manager authorises the assessment and closes the episode.
    page.goto(page.base + f"/casework/episodes/{episode.pk}/")
    step(page, "assessment-authorise")
    fill_date(page, "authorised_on", referred + timedelta(days=41))
    page.fill("#id_rationale", "Assessment sound; protection plan followed")
    save(page, episode)
    step(page, "close")
    fill_date(page, "closed_on", today)
    page.select_option("#id_reason", "RC7")
    page.select_option("#id_primary_need", "N1")
    page.fill("#id_rationale", "Plan ended, no further needs")
    save(page, episode)
    assert "RC7" in page.locator("#closure").inner_text()
    assert "Closed episode" in page.locator("#case-status").inner_text()

    page.click("#chronology-link")
    rows = page.locator("#chronology tbody tr")
    titles = rows.all_inner_texts()
    assert any("Referral from Schools" in t for t in titles)
    assert any("Episode closed: RC7" in t for t in titles)
    assert any("Things are calmer at home" in t for t in titles)
    shot(page, "child-05-chronology")
    page.click("#chronology-filter summary")
    page.check("#type-conference")
    page.click("#filter")
    page.wait_for_url("**type=conference**")
    page.emulate_media(media="print")
    assert not page.locator("#chronology-filter").is_visible()
    assert page.locator("#chronology tbody tr").count() == 2
    shot(page, "child-06-chronology-print")
    page.emulate_media(media="screen")

    assert page.csp_violations == []
    assert page.accessibility_violations == []
