"""The partner systems' API: token per organisation, idempotent notices, nothing else."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from evident.api.models import ApiToken
from evident.api.services import api_token_authenticate, api_token_create, token_hash
from evident.api.tests.conftest import bearer
from evident.audit.models import AuditEvent
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/partner/contacts"
SCHEMA = "/api/v1/openapi.json"


def send(client: Any, made: Any, notice: dict[str, Any]) -> Any:
    return client.post(CONTACTS, notice, content_type="application/json", **bearer(made))


# Tokens ------------------------------------------------------------------------------------


def test_the_command_prints_a_token_that_is_stored_only_as_its_hash(police, client):
    out = io.StringIO()
    call_command(
        "api_token", organisation="Test Police", name="PPN sender", stdout=out, stderr=io.StringIO()
    )
    token = out.getvalue().strip()
    stored = ApiToken.objects.get()
    assert stored.organisation == police
    assert stored.name == "PPN sender"
    assert stored.secret_hash == token_hash(token)
    assert token not in stored.secret_hash
    assert len(token) > 40
    assert stored.account.organisation == police
    assert not stored.account.has_usable_password()
    response = client.get(f"{CONTACTS}/nothing", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_the_command_refuses_an_unknown_organisation(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("api_token", organisation="Nowhere", name="x", stdout=io.StringIO())


def test_the_council_cannot_have_a_partner_token(council):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(organisation=council, name="Ourselves")


def test_an_administrator_revokes_a_token_and_it_stops_working(
    client, personas, police_token, notice
):
    assert send(client, police_token, notice).status_code == 201
    client.force_login(personas["admin"])
    page = client.get("/admin/api-tokens/")
    assert page.status_code == 200
    assert "PPN sender" in page.content.decode()
    assert "Test Police" in page.content.decode()
    assert police_token.token not in page.content.decode()
    response = client.post(f"/admin/api-tokens/{police_token.api_token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    notice["sender_reference"] = "PPN-2"
    assert send(client, police_token, notice).status_code == 401
    assert api_token_authenticate(token=police_token.token) is None
    police_token.api_token.refresh_from_db()
    assert police_token.api_token.revoked_at is not None
    assert AuditEvent.objects.filter(section="api.token.revoke", actor=personas["admin"]).exists()


@pytest.mark.parametrize("persona", ["practitioner", "partner", "manager", "nobody"])
def test_only_administrators_see_or_revoke_tokens(client, personas, persona, police_token):
    client.force_login(personas[persona])
    assert client.get("/admin/api-tokens/").status_code == 403
    assert client.post(f"/admin/api-tokens/{police_token.api_token.pk}/revoke/").status_code == 403
    police_token.api_token.refresh_from_db()
    assert police_token.api_token.revoked_at is None


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer not-a-token"},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
    ],
    ids=["missing", "wrong", "empty", "basic"],
)
def test_a_missing_or_bad_token_is_a_401_json_that_reveals_nothing(
    client, headers, police_token, notice
):
    assert send(client, police_token, notice).status_code == 201
    for response in (
        client.post(CONTACTS, notice, content_type="application/json", **headers),
        client.get(f"{CONTACTS}/PPN-2026-0001", **headers),
    ):
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "Unauthorized"}
    assert Contact.objects.count() == 1


def test_a_signed_in_partner_session_is_never_accepted(client, personas, police_token, notice):
    assert send(client, police_token, notice).status_code == 201
    client.force_login(personas["partner"])  # the same organisation as the token
    assert client.get(f"{CONTACTS}/PPN-2026-0001").status_code == 401
    notice["sender_reference"] = "PPN-SESSION"
    assert client.post(CONTACTS, notice, content_type="application/json").status_code == 401
    assert not Contact.objects.filter(sender_reference="PPN-SESSION").exists()


def test_a_partner_token_reaches_no_council_endpoint(client, police_token):
    response = client.get("/api/v1/indicators", **bearer(police_token))
    assert response.status_code == 401
    assert "numerator" not in response.content.decode()


# Sending a notice ------------------------------------------------------------------------------


def test_a_notice_becomes_a_contact_from_the_organisation(client, police, police_token, notice):
    response = send(client, police_token, notice)
    assert response.status_code == 201
    body = response.json()
    contact = Contact.objects.get()
    assert body["reference"] == contact.reference
    assert body["sender_reference"] == "PPN-2026-0001"
    assert body["status"] == "Received"
    assert body["outcomes"] == []
    assert contact.submitting_organisation == police
    assert contact.submitted_by == police_token.api_token.account
    assert contact.sender_reference == "PPN-2026-0001"
    assert "1 March 2026 at 22:15" in contact.concern
    assert [c.full_name for c in contact.submitted_children.all()] == ["Amelia Stone", "Jack Stone"]
    assert contact.submitted_children.all()[0].postcode == "NB1 2AB"
    assert not ContactChild.objects.exists()  # partners never create person records


def test_the_same_notice_twice_makes_one_contact(client, police_token, notice):
    first = send(client, police_token, notice)
    second = send(client, police_token, notice)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["reference"] == second.json()["reference"]
    assert Contact.objects.count() == 1


def test_another_organisation_may_use_the_same_reference(client, police_token, other_token, notice):
    ours = send(client, police_token, notice)
    theirs = send(client, other_token, notice)
    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert ours.json()["reference"] != theirs.json()["reference"]
    assert Contact.objects.filter(sender_reference="PPN-2026-0001").count() == 2


def test_another_organisations_reference_is_404_exactly_like_an_unknown_one(
    client, police_token, other_token, notice
):
    assert send(client, other_token, notice).status_code == 201
    theirs = client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token))
    unknown = client.get(f"{CONTACTS}/PPN-NEVER-SENT", **bearer(police_token))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.content == unknown.content
    assert "Stone" not in theirs.content.decode()


def test_the_own_organisations_reference_answers_its_status(client, police_token, notice):
    reference = send(client, police_token, notice).json()["reference"]
    response = client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token))
    assert response.status_code == 200
    assert response.json()["reference"] == reference
    assert response.json()["status"] == "Received"


# Invalid fields --------------------------------------------------------------------------------

INVALID = [
    ("sender_reference", "   ", ["sender_reference"]),
    ("sender_reference", "x" * 101, ["sender_reference"]),
    ("concern", "", ["concern"]),
    ("concern", "bad\x00byte", ["concern"]),
    ("consent", "maybe", ["consent"]),
    ("referrer_name", "", ["referrer_name"]),
    ("referrer_phone", 7, ["referrer_phone"]),
    ("referrer_email", "not an email", ["referrer_email"]),
    ("occurred_at", "yesterday", ["occurred_at"]),
    ("occurred_at", "2026-03-01T22:15:00", ["occurred_at"]),
    ("occurred_at", "2999-01-01T00:00:00+00:00", ["occurred_at"]),
    ("children", [], ["children"]),
    ("children", [{"first_name": "", "last_name": "Stone"}], ["children", 0, "first_name"]),
    (
        "children",
        [{"first_name": "A", "last_name": "B", "postcode": "x" * 11}],
        ["children", 0, "postcode"],
    ),
]


@pytest.mark.parametrize(
    ("field", "value", "where"), INVALID, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(INVALID)]
)
def test_every_invalid_field_is_a_422_naming_the_field(
    client, police_token, notice, field, value, where
):
    notice[field] = value
    response = send(client, police_token, notice)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(error["loc"][-len(where) :] == where and error["msg"] for error in errors), errors
    assert not Contact.objects.exists()


def test_a_child_without_a_date_of_birth_or_age_is_a_422(client, police_token, notice):
    notice["children"] = [{"first_name": "A", "last_name": "B"}]
    response = send(client, police_token, notice)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "notice", "children"]
    assert error["msg"] == "Enter the date of birth or approximate age of child 1"
    assert not Contact.objects.exists()


def test_refused_consent_without_a_reason_is_a_422(client, police_token, notice):
    notice["consent"] = "refused"
    response = send(client, police_token, notice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "notice", "consent_reason"]
    assert not Contact.objects.exists()


def test_a_missing_field_is_a_422_naming_it(client, police_token, notice):
    del notice["referrer_email"]
    response = send(client, police_token, notice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "referrer_email"


# Outcomes and the audit trail ----------------------------------------------------------------


def decide(contact: Contact, manager: Any, *, authorise: bool) -> None:
    now = timezone.now()
    for number, submitted in enumerate(contact.submitted_children.all()):
        person = Person.objects.create(
            council_id=f"NB-API-{number}",
            first_name=submitted.first_name,
            last_name=submitted.last_name,
        )
        submitted.person = person
        submitted.save()
        row = ContactChild.objects.create(contact=contact, person=person)
        Decision.objects.create(
            contact_child=row,
            outcome=Decision.Outcome.EARLY_HELP,
            rationale="Support needed",
            status=Decision.Status.AUTHORISED if authorise else Decision.Status.PROPOSED,
            decided_by=manager,
            decided_at=now,
            authorised_by=manager if authorise else None,
            authorised_at=now + timedelta(minutes=5) if authorise else None,
        )
    if authorise:
        contact.closed_at = now + timedelta(minutes=5)
        contact.save()


def test_the_outcome_is_given_only_once_every_decision_is_authorised(
    client, personas, police_token, notice
):
    send(client, police_token, notice)
    contact = Contact.objects.get()
    decide(contact, personas["manager"], authorise=False)
    before = client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token)).json()
    assert (before["status"], before["outcomes"]) == ("Received", [])
    assert "early help" not in str(before).lower()

    Decision.objects.update(
        status=Decision.Status.AUTHORISED,
        authorised_by=personas["manager"],
        authorised_at=timezone.now(),
    )
    Contact.objects.update(closed_at=timezone.now())
    after = client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token)).json()
    assert after["status"] == "Decision made"
    assert after["outcomes"] == [
        {"child": "Amelia Stone", "outcome": "The family will be offered early help support."},
        {"child": "Jack Stone", "outcome": "The family will be offered early help support."},
    ]
    # Telling the partner an outcome is a read of each child's decision: audited.
    reads = AuditEvent.objects.filter(
        section="portal.outcome", actor=police_token.api_token.account
    )
    assert sorted(reads.values_list("person__first_name", flat=True)) == ["Amelia", "Jack"]


def test_the_response_never_carries_the_councils_record(client, personas, police_token, notice):
    send(client, police_token, notice)
    contact = Contact.objects.get()
    decide(contact, personas["manager"], authorise=True)
    body = client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token)).content.decode()
    assert "NB-API-0" not in body  # no council id
    assert "Support needed" not in body  # no rationale
    assert str(Person.objects.all()[0].pk) not in body


def test_every_token_call_is_audited_with_the_organisation_and_token(client, police_token, notice):
    send(client, police_token, notice)
    client.get(f"{CONTACTS}/PPN-2026-0001", **bearer(police_token))
    client.get(f"{CONTACTS}/unknown", **bearer(police_token))
    calls = AuditEvent.objects.filter(section="api.partner").order_by("id")
    assert [(e.detail["method"], e.path) for e in calls] == [
        ("POST", CONTACTS),
        ("GET", f"{CONTACTS}/PPN-2026-0001"),
        ("GET", f"{CONTACTS}/unknown"),
    ]
    for event in calls:
        assert event.detail["organisation"] == "Test Police"
        assert event.detail["token"] == "PPN sender"
        assert event.actor_organisation == "Test Police"
        assert event.actor == police_token.api_token.account
    created = AuditEvent.objects.get(section="portal.submission")
    assert created.action == AuditEvent.Action.CREATE
    assert created.actor == police_token.api_token.account


# The schema ----------------------------------------------------------------------------------


def test_the_served_schema_is_valid_openapi_3_and_lists_the_partner_endpoints(client, police_token):
    response = client.get(SCHEMA, **bearer(police_token))
    assert response.status_code == 200
    raw = response.json()
    assert raw["openapi"].startswith("3.")
    assert {"/api/v1/partner/contacts", "/api/v1/partner/contacts/{sender_reference}"} <= set(
        raw["paths"]
    )
    schemathesis.openapi.from_dict(raw).validate()  # raises if the schema is not OpenAPI 3
    security = raw["paths"]["/api/v1/partner/contacts"]["post"]["security"]
    assert security == [{"PartnerTokenAuth": []}]


def test_the_schema_refuses_a_bad_token(client):
    response = client.get(SCHEMA, HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_notice_sent_at_the_same_moment_makes_one_contact(police_token, notice):
    senders = 4
    start = threading.Barrier(senders)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def post() -> None:
        try:
            start.wait(timeout=10)
            response = send(Client(), police_token, notice)
            answers.append((response.status_code, response.json()["reference"]))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    contact = Contact.objects.get()
    assert sorted(status for status, _ in answers) == [200, 200, 200, 201]
    assert {reference for _, reference in answers} == {contact.reference}


@pytest.mark.parametrize(
    ("field", "value"),
    [("occurred_at", 0), ("occurred_at", 1700000000), ("referrer_email", "a@b.c")],
)
def test_numbers_for_times_and_doubtful_addresses_are_refused(
    client, police_token, notice, field, value
):
    notice[field] = value
    response = send(client, police_token, notice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_a_number_for_a_date_of_birth_is_refused(client, police_token, notice):
    notice["children"][0]["date_of_birth"] = 0
    response = send(client, police_token, notice)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-3:] == ["children", 0, "date_of_birth"]


def test_an_unborn_babys_due_date_is_accepted(client, police_token, notice):
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    notice["children"] = [{"first_name": "Baby", "last_name": "Stone", "date_of_birth": due}]
    assert send(client, police_token, notice).status_code == 201
    born = Contact.objects.get().submitted_children.get().date_of_birth
    assert born is not None
    assert born.isoformat() == due


def test_a_reference_with_slashes_is_one_reference(client, police_token, notice):
    notice["sender_reference"] = "PPN/2026/17"
    assert send(client, police_token, notice).status_code == 201
    response = client.get(f"{CONTACTS}/PPN/2026/17", **bearer(police_token))
    assert response.status_code == 200
    assert response.json()["sender_reference"] == "PPN/2026/17"
    missing = client.get(f"{CONTACTS}/PPN/2026/18", **bearer(police_token))
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
