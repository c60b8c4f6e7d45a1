from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction

from evident.audit.models import AuditEvent, AuditImmutableError
from evident.audit.services import AuditWriteError, audit_record


@pytest.fixture
def event(db, personas):
    return audit_record(
        actor=personas["practitioner"],
        action=AuditEvent.Action.VIEW,
        record_type="x",
        record_id="1",
    )


def test_an_event_records_who_what_and_when(event, personas):
    assert event.actor_username == "practitioner"
    assert event.actor_roles == "practitioner"
    assert event.actor_organisation == "Northbridge Borough Council"
    assert event.occurred_at.utcoffset().total_seconds() == 0
    assert event.request_id.startswith("local-")


def test_the_model_refuses_changes_and_deletion(event):
    event.section = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().update(section="x")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changes_even_in_raw_sql(event):
    for sql in (
        "UPDATE audit_auditevent SET section = 'x'",
        "DELETE FROM audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, section="").exists()


@pytest.mark.django_db
def test_a_failed_audit_write_raises_so_nothing_is_shown(personas):
    with (
        mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(AuditWriteError),
    ):
        audit_record(actor=personas["practitioner"], action=AuditEvent.Action.VIEW)


@pytest.mark.django_db
def test_a_request_whose_audit_fails_answers_503_without_data(client, personas, rf):
    from django.http import HttpResponse

    from evident.audit.middleware import RequestContextMiddleware

    def view(request):
        audit_record(actor=personas["practitioner"], action=AuditEvent.Action.VIEW)
        return HttpResponse("child's record")

    middleware = RequestContextMiddleware(view)
    request = rf.get("/record/")
    request.user = personas["practitioner"]
    with mock.patch.object(AuditEvent, "save", side_effect=DatabaseError("disk full")):
        try:
            response = view(request)
        except AuditWriteError as exc:
            response = middleware.process_exception(request, exc)
    assert response.status_code == 503
    assert b"child's record" not in response.content


def test_the_request_id_and_address_reach_the_event(client, personas):
    client.force_login(personas["practitioner"])
    client.get("/admin/closure-days/", HTTP_X_REQUEST_ID="req-123", REMOTE_ADDR="10.1.2.3")
    denied = AuditEvent.objects.get(action="denied")
    assert denied.request_id == "req-123"
    assert denied.ip_address == "10.1.2.3"
