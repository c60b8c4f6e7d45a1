import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from evident.audit.models import AuditEvent
from evident.performance.periods import add_months, month_of

pytestmark = pytest.mark.django_db

CODE = "contact-decisions-on-time"
ALLOWED = ["analyst", "leader", "manager"]
REFUSED = ["practitioner", "socialworker", "partner", "lado", "admin", "nobody"]


def signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


@pytest.fixture
def last_month_contacts(front_door):
    """Two contacts in the last complete month: one child on time, one child on both."""
    first = add_months(month_of(timezone.now()), -1)
    received = timezone.make_aware(datetime(first.year, first.month, 10, 9, 0))
    twice, once = front_door.child("NB-TWICE"), front_door.child("NB-ONCE")
    front_door.contact(received, twice, once, authorised_at=received + timedelta(hours=2))
    front_door.contact(received + timedelta(days=1), twice)
    return first


def urls(month: date) -> list[str]:
    return [
        reverse("performance:indicators"),
        reverse("performance:indicator", args=[CODE]),
        reverse("performance:indicator_month", args=[CODE, month.year, month.month]),
    ]


@pytest.mark.parametrize("persona", ALLOWED)
def test_performance_roles_see_the_indicator_pages(client, personas, persona, last_month_contacts):
    signed_in(client, personas[persona])
    for url in urls(last_month_contacts):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", REFUSED)
def test_other_roles_cannot_see_indicators(client, personas, persona, last_month_contacts):
    signed_in(client, personas[persona])
    for url in urls(last_month_contacts):
        assert client.get(url).status_code == 403, url
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_signed_out_visitor_is_sent_to_sign_in(client, last_month_contacts):
    for url in urls(last_month_contacts):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_list_shows_each_indicator_with_latest_month_and_last_12_months(
    client, personas, last_month_contacts
):
    page = (
        signed_in(client, personas["analyst"])
        .get(reverse("performance:indicators"))
        .content.decode()
    )
    assert "Contacts with a decision within 1 working day" in page
    assert reverse("performance:indicator", args=[CODE]) in page
    assert "Last 12 months" in page
    assert "2 of 3" in page  # last month: two on time, one (the second contact) late


def test_the_list_reads_the_children_on_contacts_once_for_every_front_door_indicator(
    client, personas, last_month_contacts
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, personas["analyst"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("performance:indicators")).content.decode()
    assert "Consent recorded" in page  # one of the front-door indicators that share the read
    contact_reads = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().startswith("SELECT") and 'FROM "front_door_contactchild"' in q["sql"]
    ]
    assert len(contact_reads) == 2  # the children on contacts; repeat contacts' earlier ones


def test_indicator_page_has_a_chart_island_and_a_table_of_13_months(
    client, personas, last_month_contacts
):
    response = signed_in(client, personas["leader"]).get(
        reverse("performance:indicator", args=[CODE])
    )
    page = response.content.decode()
    assert 'data-chart-source="indicator-chart-data"' in page
    assert "js/chart.umd.min.js" in page
    assert "js/charts.js" in page
    assert "<script>" not in page  # no inline script: the island is JSON, not code
    chart = response.context["chart"]
    assert len(chart["labels"]) == 13
    assert chart["datasets"][0]["data"][-2] == 66.7
    island = page.split('id="indicator-chart-data"')[1].split(">", 1)[1].split("</script>")[0]
    assert json.loads(island)["datasets"][1]["data"][-2] == 3
    assert page.count('class="govuk-table__row"') == 14  # heading row and 13 months
    assert "Pending" in page


def test_unknown_indicator_is_not_found(client, personas):
    signed_in(client, personas["analyst"])
    assert client.get(reverse("performance:indicator", args=["no-such-thing"])).status_code == 404
    assert (
        client.get(
            reverse("performance:indicator_month", args=["no-such-thing", 2024, 6])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(("year", "month"), [(2024, 13), (2024, 0), (1999, 12), (9999, 1)])
def test_drill_down_refuses_months_that_do_not_exist_or_have_not_started(
    client, personas, year, month
):
    signed_in(client, personas["analyst"])
    assert (
        client.get(reverse("performance:indicator_month", args=[CODE, year, month])).status_code
        == 404
    )


def test_drill_down_lists_children_and_audits_one_read_per_child(
    client, personas, last_month_contacts
):
    analyst = personas["analyst"]
    month = last_month_contacts
    url = reverse("performance:indicator_month", args=[CODE, month.year, month.month])
    page = signed_in(client, analyst).get(url).content.decode()
    assert page.count("NB-TWICE") == 2
    assert page.count("NB-ONCE") == 1
    assert "On time" in page
    assert "Late" in page
    events = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, actor=analyst)
    assert events.count() == 2  # NB-TWICE appears twice but is one child
    assert {e.person.council_id for e in events if e.person} == {"NB-TWICE", "NB-ONCE"}
    assert all(e.section.startswith(f"Indicator {CODE}") for e in events)
    assert all(e.path == url for e in events)


def test_drill_down_of_an_empty_month_audits_nothing(client, personas):
    month = add_months(month_of(timezone.now()), -5)
    url = reverse("performance:indicator_month", args=[CODE, month.year, month.month])
    response = signed_in(client, personas["analyst"]).get(url)
    assert response.status_code == 200
    assert "No child on a contact" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_navigation_links_to_indicators_for_performance_roles_only(client, personas):
    page = signed_in(client, personas["manager"]).get(reverse("core:home")).content.decode()
    assert reverse("performance:indicators") in page
    client.logout()
    page = signed_in(client, personas["practitioner"]).get(reverse("core:home")).content.decode()
    assert reverse("performance:indicators") not in page


def test_every_performance_url_carries_an_access_policy():
    from django.urls import get_resolver

    from evident.accounts.policies import policy_of
    from evident.performance import urls

    names = set()
    for pattern in urls.urlpatterns:
        assert policy_of(pattern.callback) is not None, pattern.name
        names.add(pattern.name)
    assert {"indicators", "annex_a"} <= names
    assert get_resolver().resolve("/performance/annex-a/").url_name == "annex_a"
