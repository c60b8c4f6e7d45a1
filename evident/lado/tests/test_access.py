"""Restricted access: only LADO officers and the senior managers named in a live grant read a
LADO record, by page, search, export or report; everyone else who guesses an address gets
404 and the attempt is audited. Partners see only their own organisation's referrals, and
only their status. There are no LADO API endpoints (checked below)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from evident.accounts.models import Organisation
from evident.accounts.roles import Role
from evident.accounts.services import user_create
from evident.audit.models import AuditEvent
from evident.lado import services
from evident.lado.models import LadoAction, LadoRetentionRule
from evident.lado.services import ActionPlanned, Attendee, ChildInvolved
from evident.people.models import Person
from tests.test_access_policies import walk

pytestmark = pytest.mark.django_db

SECRET = "Hartley"  # the adult's surname: must never appear for those without access


@pytest.fixture
def case(personas, record_referral) -> dict[str, Any]:
    child = Person.objects.create(council_id="C900001", first_name="Ava", last_name="Jones")
    referral = record_referral(
        children=[ChildInvolved(name="Ava Jones", person_id=child.pk)],
        submitted_by=personas["partner"],
        submitting_organisation=personas["partner"].organisation,
    )
    services.consideration_record(
        actor=personas["lado"],
        referral=referral,
        decision="met",
        limbs=["harmed_child"],
        rationale="Harm to a pupil.",
    )
    services.meeting_record(
        actor=personas["lado"],
        referral=referral,
        kind="initial",
        held_on=timezone.localdate(),
        decisions="Police to investigate.",
        attendees=[Attendee("Sam Patel", "Police")],
        actions=[ActionPlanned(LadoAction.Type.POLICE_INVESTIGATION, "DC Patel")],
    )
    services.retention_rules_ensure()
    return {"referral": referral, "child": child}


def lado_council_urls(case: dict[str, Any]) -> list[str]:
    """Every council LADO address that shows LADO records, with real ids."""
    r = case["referral"].pk
    action = LadoAction.objects.get(referral=case["referral"]).pk
    rule = LadoRetentionRule.objects.first().pk  # type: ignore[union-attr]
    return [
        reverse("lado:tray"),
        reverse("lado:referral_new"),
        reverse("lado:referral", args=[r]),
        reverse("lado:consider", args=[r]),
        reverse("lado:meeting_new", args=[r]),
        reverse("lado:outcome", args=[r]),
        reverse("lado:action_done", args=[r, action]),
        reverse("lado:retention"),
        reverse("lado:retention_rule", args=[rule]),
        reverse("lado:report"),
        reverse("lado:report_pdf"),
        reverse("lado:report_xlsx"),
    ]


def test_every_lado_route_is_in_the_matrix(case):
    """A new LADO page must be added to this matrix (or to the partner or access lists)."""
    routes = {
        name
        for route, pattern in walk(get_resolver().url_patterns)
        if route.startswith("lado/") and (name := pattern.name)
    }
    council = routes - {"grants", "grant_revoke", "legal_hold"}
    assert len(council) == len(lado_council_urls(case))


def test_no_api_operation_serves_lado_records():
    api = [route for route, _ in walk(get_resolver().url_patterns) if route.startswith("api/")]
    assert api, "the API is mounted"
    assert not [route for route in api if "lado" in route.lower()]


@pytest.mark.parametrize(
    "persona", ["practitioner", "socialworker", "manager", "analyst", "leader", "admin"]
)
def test_council_staff_without_access_get_404_and_are_audited(client, personas, case, persona):
    user = personas[persona]
    client.force_login(user)
    for url in lado_council_urls(case):
        before = AuditEvent.objects.filter(actor=user, action="denied").count()
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET.encode() not in response.content, url
        assert AuditEvent.objects.filter(actor=user, action="denied").count() == before + 1, url
    # Posting is refused the same way, and nothing changes.
    response = client.post(
        reverse("lado:legal_hold", args=[case["referral"].pk]), {"reason": "Inquiry"}
    )
    assert response.status_code == 404
    case["referral"].refresh_from_db()
    assert not case["referral"].legal_hold
    assert not AuditEvent.objects.filter(
        actor=user, action="view", record_type="lado.ladoreferral"
    ).exists()


@pytest.mark.parametrize("persona", ["partner", "nobody"])
def test_partners_and_roleless_users_never_reach_council_lado_pages(
    client, personas, case, persona
):
    client.force_login(personas[persona])
    for url in lado_council_urls(case):
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET.encode() not in response.content


def test_the_lado_officer_reads_everything_and_each_view_is_audited(client, personas, case):
    lado = personas["lado"]
    client.force_login(lado)
    for url in lado_council_urls(case):
        response = client.get(url)
        assert response.status_code == 200, url
    views = AuditEvent.objects.filter(
        actor=lado,
        action="view",
        record_type="lado.ladoreferral",
        record_id=str(case["referral"].pk),
    )
    assert views.count() == 1  # the case page, once
    assert (
        AuditEvent.objects.filter(actor=lado, action="export", record_type="lado.report").count()
        == 2
    )


def test_a_named_senior_manager_reads_but_does_not_write(client, personas, case):
    leader = personas["leader"]
    services.grant_add(actor=personas["lado"], user=leader, reason="Director: oversight")
    client.force_login(leader)
    page = client.get(reverse("lado:referral", args=[case["referral"].pk]))
    assert page.status_code == 200
    assert SECRET.encode() in page.content
    assert client.get(reverse("lado:tray")).status_code == 200
    assert client.get(reverse("lado:report_pdf")).status_code == 200
    assert client.get(reverse("lado:consider", args=[case["referral"].pk])).status_code == 404
    assert client.get(reverse("lado:outcome", args=[case["referral"].pk])).status_code == 404
    # Revoked: back to nothing.
    grant = leader.lado_grants.get()
    services.grant_revoke(actor=personas["admin"], grant=grant)
    assert client.get(reverse("lado:referral", args=[case["referral"].pk])).status_code == 404


def test_grants_are_only_for_council_staff_and_only_managed_by_lado_or_admin(
    client, personas, case
):
    client.force_login(personas["manager"])
    assert client.get(reverse("lado:grants")).status_code == 403
    client.force_login(personas["admin"])
    response = client.post(
        reverse("lado:grants"), {"user": personas["leader"].pk, "reason": "Director"}
    )
    assert response.status_code == 302
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.grant_add(actor=personas["admin"], user=personas["partner"], reason="x")
    # Only managers are named: not practitioners, social workers or analysts.
    for persona in ("practitioner", "socialworker", "analyst"):
        with pytest.raises(ValidationError, match="senior leaders and team managers"):
            services.grant_add(actor=personas["admin"], user=personas[persona], reason="x")


def test_the_navigation_shows_lado_only_to_those_with_access(personas, case):
    from evident.accounts.navigation import navigation_for

    def labels(user):
        return [item.label for item in navigation_for(user, "/")]

    assert "LADO" in labels(personas["lado"])
    for persona in ("practitioner", "manager", "leader", "analyst"):
        assert "LADO" not in labels(personas[persona])
        assert "LADO report" not in labels(personas[persona])
    services.grant_add(actor=personas["lado"], user=personas["leader"], reason="Director")
    assert "LADO" in labels(personas["leader"])
    assert "LADO referrals" in labels(personas["partner"])


def test_partners_see_only_their_own_referrals_and_only_the_status(client, personas, case, police):
    client.force_login(personas["partner"])
    listing = client.get(reverse("lado_portal:portal_list"))
    assert case["referral"].reference.encode() in listing.content
    detail = client.get(reverse("lado_portal:portal_detail", args=[case["referral"].pk]))
    assert detail.status_code == 200
    assert b"Under the allegations management process" in detail.content
    assert b"Police to investigate" not in detail.content  # no meeting decisions
    assert b"Harm to a pupil" not in detail.content  # no rationale
    assert AuditEvent.objects.filter(
        actor=personas["partner"], action="view", record_id=str(case["referral"].pk)
    ).exists()
    other_org = Organisation.objects.create(name="Other School", kind=Organisation.Kind.SCHOOL)
    other = user_create(
        username="otherschool",
        first_name="Other",
        last_name="Partner",
        organisation=other_org,
        roles=[Role.PARTNER],
    )
    client.force_login(other)
    assert (
        client.get(reverse("lado_portal:portal_detail", args=[case["referral"].pk])).status_code
        == 404
    )
    assert (
        case["referral"].reference.encode()
        not in client.get(reverse("lado_portal:portal_list")).content
    )
    # A LADO officer's address for the record is refused to partners outright.
    assert client.get(reverse("lado:referral", args=[case["referral"].pk])).status_code == 403


def test_the_childs_page_says_only_that_lado_involvement_exists(client, personas, case, settings):
    settings.EVIDENT_LADO_CONTACT = "01632 960123"
    url = reverse("people:person", args=[case["child"].pk])
    client.force_login(personas["practitioner"])
    page = client.get(url).content.decode()
    assert "LADO involvement exists. Speak to the LADO team on 01632 960123." in page
    assert case["referral"].reference not in page
    assert SECRET not in page
    # A LADO officer who also does casework sees the link to the record.
    both = user_create(
        username="ladocasework",
        first_name="Lee",
        last_name="Both",
        organisation=personas["lado"].organisation,
        roles=[Role.LADO, Role.SOCIAL_WORKER],
    )
    client.force_login(both)
    page = client.get(url).content.decode()
    assert reverse("lado:referral", args=[case["referral"].pk]) in page
    # A child with no LADO involvement shows nothing.
    other = Person.objects.create(council_id="C900002", first_name="Kai", last_name="Jones")
    client.force_login(personas["practitioner"])
    assert "LADO" not in client.get(reverse("people:person", args=[other.pk])).content.decode()


def test_people_search_never_finds_the_adult_or_shows_lado_records(client, personas, case):
    client.force_login(personas["practitioner"])
    response = client.post(reverse("people:search"), {"name": "Robert Hartley"})
    assert response.status_code == 200
    assert SECRET.encode() not in response.content.split(b"</form>")[-1]
    response = client.post(reverse("people:search"), {"name": "Ava Jones"})
    assert b"Ava" in response.content
    assert case["referral"].reference.encode() not in response.content
    assert b"LADO" not in response.content.split(b"</nav>")[-1]


def test_performance_pages_and_annex_a_carry_no_lado_records(client, personas, case):
    client.force_login(personas["analyst"])
    for name in ("performance:indicators", "performance:annex_a"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert SECRET.encode() not in response.content
