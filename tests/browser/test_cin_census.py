"""The CIN census check in headless Chromium: a team manager checks the live records, sees a
child's failure and follows the link to the child's record. Every page checked with axe-core."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest

from evident.casework.models import Episode
from evident.returns.cin_census.sample import sample_casework
from tests.browser.test_contact_to_annex_a import page, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_checks_the_census_and_follows_a_failure(page, personas):  # noqa: F811
    sample_casework(children=12, year=2026, user=personas["socialworker"], seed=5)
    episode = Episode.objects.filter(closed_on__isnull=True).select_related("person").first()
    assert episode is not None
    Episode.objects.filter(pk=episode.pk).update(primary_need="")

    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="CIN census").click()
    shot(page, "cin-census-01-start")
    # Check "as of" 31 March 2026 (the sample's census year), whatever today is.
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 3, 31)):
        page.get_by_role("button", name="Check our records").click()
        page.wait_for_selector("#results")
    assert "8610" in page.locator("#by-rule").inner_text()
    row = page.locator("#by-child tbody tr").first
    assert "Primary Need code is missing" in row.inner_text()
    shot(page, "cin-census-02-results")
    row.get_by_role("link", name=episode.person.council_id, exact=True).click()
    page.wait_for_url(f"**/people/{episode.person.pk}/")
    assert episode.person.council_id in page.locator("main").inner_text()
    shot(page, "cin-census-03-child")
    assert page.csp_violations == []
    assert page.accessibility_violations == []
