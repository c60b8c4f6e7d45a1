from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from ninja import NinjaAPI, Router
from ninja.errors import AuthorizationError

from evident.accounts.policies import policy_of
from evident.accounts.roles import PERFORMANCE_ROLES, Role
from evident.api import urls as api_urls
from evident.api.access import allow_api, guarded_urlpatterns
from evident.api.api import api as evident_api
from evident.audit.models import AuditEvent
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person
from evident.performance.periods import add_months, month_label, month_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/indicators"
DETAIL = "/api/v1/indicators/contact-decisions-on-time"
SCHEMA = "/api/v1/openapi.json"
REFUSED = ["practitioner", "socialworker", "partner", "lado", "admin", "nobody"]


@pytest.fixture
def last_month_contact(personas):
    """One child on a contact last month, decided on time."""
    first = add_months(month_of(timezone.now()), -1)
    received = timezone.make_aware(datetime(first.year, first.month, 10, 9, 0))
    contact = Contact.objects.create(
        reference="CT-API-1",
        received_at=received,
        source="6",
        concern="Test",
        consent=Contact.Consent.GIVEN,
        recorded_at=received,
    )
    person = Person.objects.create(council_id="NB-API", first_name="A", last_name="B")
    row = ContactChild.objects.create(contact=contact, person=person)
    manager = personas["manager"]
    Decision.objects.create(
        contact_child=row,
        outcome=Decision.Outcome.EARLY_HELP,
        rationale="Test",
        status=Decision.Status.AUTHORISED,
        decided_by=manager,
        decided_at=received,
        authorised_by=manager,
        authorised_at=received + timedelta(hours=1),
    )
    return first


@pytest.mark.parametrize("url", [LIST, DETAIL, SCHEMA])
def test_signed_out_caller_gets_401_json(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sign in to use this API"}


@pytest.mark.parametrize("persona", REFUSED)
def test_other_roles_get_403_json_and_the_refusal_is_audited(client, personas, persona):
    client.force_login(personas[persona])
    for url in (LIST, DETAIL):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["detail"] == "You do not have access to this resource"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, path=LIST).count() == 1


@pytest.mark.parametrize("persona", ["analyst", "leader", "manager"])
def test_performance_roles_get_the_indicator_list(client, personas, persona, last_month_contact):
    client.force_login(personas[persona])
    response = client.get(LIST)
    assert response.status_code == 200
    item = next(i for i in response.json() if i["code"] == "contact-decisions-on-time")
    assert item["title"] == "Contacts with a decision within 1 working day"
    assert item["higher_is_better"] is True
    assert item["latest_month"] == {
        "month": f"{last_month_contact:%Y-%m}",
        "label": month_label(last_month_contact),
        "complete": True,
        "numerator": 1,
        "denominator": 1,
        "pending": 0,
        "percentage": 100.0,
    }
    assert item["last_12_months"]["denominator"] == 1


def test_detail_has_13_months_by_default_ending_with_the_month_so_far(
    client, personas, last_month_contact
):
    client.force_login(personas["analyst"])
    months = client.get(DETAIL).json()["months"]
    assert len(months) == 13
    assert months[-1]["month"] == f"{month_of(timezone.now()):%Y-%m}"
    assert months[-1]["complete"] is False
    assert months[-2]["percentage"] == 100.0


@pytest.mark.parametrize("months", [1, 3, 36])
def test_detail_takes_a_number_of_months(client, personas, months):
    client.force_login(personas["analyst"])
    response = client.get(DETAIL, {"months": months})
    assert response.status_code == 200
    assert len(response.json()["months"]) == months


@pytest.mark.parametrize("months", ["0", "37", "-1", "twelve", ""])
def test_bad_months_is_a_422_json_error(client, personas, months):
    client.force_login(personas["analyst"])
    response = client.get(DETAIL, {"months": months})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "months"]
    assert error["msg"]


def test_unknown_code_is_a_404_json_error(client, personas):
    client.force_login(personas["analyst"])
    response = client.get("/api/v1/indicators/no-such-indicator")
    assert response.status_code == 404
    assert response.json() == {"detail": "No indicator with the code 'no-such-indicator'"}


def test_schema_lists_the_endpoints_for_signed_in_council_staff(client, personas):
    client.force_login(personas["practitioner"])
    response = client.get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {"/api/v1/indicators", "/api/v1/indicators/{code}"}
    parameters = schema["paths"]["/api/v1/indicators/{code}"]["get"]["parameters"]
    months = next(p for p in parameters if p["name"] == "months")
    assert (months["schema"]["minimum"], months["schema"]["maximum"]) == (1, 36)


@pytest.mark.parametrize("persona", ["partner", "nobody"])
def test_schema_is_not_for_partners_or_users_without_a_role(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(SCHEMA).status_code == 403


def test_no_swagger_page_is_served(client, personas):
    client.force_login(personas["analyst"])
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/api/v1/").status_code == 404


def _walk(patterns: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def test_every_api_url_carries_an_access_policy_that_answers_in_json():
    api_patterns = [
        (route, p) for route, p in _walk(get_resolver().url_patterns) if route.startswith("api/v1/")
    ]
    assert {route for route, _ in api_patterns} >= {
        "api/v1/indicators",
        "api/v1/indicators/<code>",
        "api/v1/openapi.json",
    }
    for route, pattern in api_patterns:
        policy = policy_of(pattern.callback)
        assert policy is not None, route
        assert policy.answers_json, route
        assert not policy.public, route
        # Partner systems' routes take only a partner's API token, never a session.
        if route.startswith("api/v1/partner/"):
            assert policy.bearer == "required", route
        else:
            assert policy.council_only, route
    listing = policy_of(dict(api_patterns)["api/v1/indicators"].callback)
    assert listing is not None
    assert listing.roles == PERFORMANCE_ROLES


def test_every_api_operation_declares_its_roles():
    # The module-level check ran when the URLs loaded; here it is again, explicitly.
    assert len(guarded_urlpatterns(evident_api)) == len(api_urls.urlpatterns)


def test_an_operation_without_roles_stops_the_urls_loading():
    router = Router()

    @router.get("/undeclared")
    def undeclared(request):
        return {}

    api = NinjaAPI(urls_namespace="undeclared-test", docs_url=None)
    api.add_router("", router)
    with pytest.raises(ImproperlyConfigured, match="declares no roles"):
        guarded_urlpatterns(api)


def test_operations_sharing_a_path_must_declare_the_same_roles():
    router = Router()

    @router.get("/thing", auth=allow_api(Role.ANALYST))
    def read(request):
        return {}

    @router.post("/thing", auth=allow_api(Role.ADMIN))
    def write(request):
        return {}

    api = NinjaAPI(urls_namespace="mixed-test", docs_url=None)
    api.add_router("", router)
    with pytest.raises(ImproperlyConfigured, match="different roles"):
        guarded_urlpatterns(api)


def test_the_operation_checks_roles_itself_as_well_as_the_middleware(personas):
    # Defence in depth: ninja's auth refuses a wrong role even if the middleware did not.
    auth = allow_api(Role.ANALYST)
    request = RequestFactory().get(LIST)
    request.user = AnonymousUser()
    assert auth.authenticate(request, None) is None  # ninja answers 401
    request.user = personas["practitioner"]
    with pytest.raises(AuthorizationError):
        auth.authenticate(request, None)
    request.user = personas["analyst"]
    assert auth.authenticate(request, None) == personas["analyst"]


def test_urlpatterns_are_url_patterns():
    assert all(isinstance(p, URLPattern) for p in api_urls.urlpatterns)
