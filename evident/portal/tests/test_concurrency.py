"""A double click on "Send concern": two requests at the same moment send one concern."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from evident.front_door.models import Contact
from evident.portal import services
from evident.portal.models import PortalDraft
from evident.portal.tests.conftest import submission

PRESSES = 4


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the lock is PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_pressing_send_at_the_same_moment_sends_one_concern(personas):
    partner = personas["partner"]
    draft = PortalDraft.objects.create(user=partner)
    start = threading.Barrier(PRESSES)
    sent: list[Contact | None] = []
    failures: list[BaseException] = []

    def press():
        try:
            start.wait(timeout=10)
            sent.append(
                services.portal_draft_submit(
                    actor=partner, draft_id=draft.pk, submission=submission()
                )
            )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert Contact.objects.count() == 1
    contact = Contact.objects.get()
    assert contact.pk == draft.pk
    assert [c.pk if c else None for c in sent] == [contact.pk] * PRESSES
    assert not PortalDraft.objects.exists()
