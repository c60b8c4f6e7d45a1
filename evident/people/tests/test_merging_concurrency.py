"""Two managers merging the same duplicate at the same moment (PostgreSQL only: SQLite
has no row locks). Both people are locked first, so one merge waits for the other and is
then refused, instead of both moving rows."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from evident.people import merging
from evident.people.models import Person, PersonAlias, PersonMerge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_merges_of_the_same_record_at_once_one_is_refused(personas, make_person):
    away = make_person("Rubie", "Hart")
    first, second = make_person("Ruby", "Hart"), make_person("Ruby", "Harte")
    PersonAlias.objects.create(person=away, first_name="Rubes", last_name="Hart")
    start = threading.Barrier(2)
    outcomes: list[Any] = []

    def merge_into(keep: Person) -> None:
        try:
            start.wait()
            merging.people_merge(
                actor=personas["manager"], keep=keep, merge_away=away, reason="Same child"
            )
            outcomes.append("merged")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge_into, args=(k,)) for k in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes, key=len) == [
        "merged",
        "Rubie Hart (" + away.council_id + ") has already been merged into another record. "
        "Undo that merge first if it was wrong",
    ]
    merge = PersonMerge.objects.get()
    assert PersonAlias.objects.get(first_name="Rubes").person_id == merge.kept_id
    away.refresh_from_db()
    assert away.merged_into_id == merge.kept_id
