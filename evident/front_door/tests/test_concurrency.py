"""Contact references under concurrency: real transactions in parallel threads."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from evident.front_door import services
from evident.front_door.models import Contact
from evident.front_door.tests.conftest import MONDAY_10AM

RECORDERS = 6


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the lock is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_contacts_recorded_at_the_same_moment_get_consecutive_unique_references(
    personas, make_child
):
    children = [make_child(f"Child{n}") for n in range(RECORDERS)]
    start = threading.Barrier(RECORDERS)
    references: list[str] = []
    failures: list[BaseException] = []

    def record(child):
        try:
            start.wait(timeout=10)
            contact = services.contact_record(
                actor=personas["practitioner"],
                received_at=MONDAY_10AM,
                source="6",
                concern="Concern",
                consent=Contact.Consent.GIVEN,
                children=[child.pk],
                now=MONDAY_10AM,
            )
            references.append(contact.reference)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(child,)) for child in children]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert sorted(references) == [f"C-2026-{n:06d}" for n in range(1, RECORDERS + 1)]
