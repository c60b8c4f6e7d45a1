"""Indexes for finding a person by the start of a name, on PostgreSQL.

People search asks ``UPPER(last_name) LIKE 'SMI%'`` (and the same for first names and
aliases). A plain b-tree only serves LIKE under the C collation; ``text_pattern_ops``
serves it under any collation, so search stays an index lookup at 100,000 children.
SQLite (the demo) has no operator classes and scans its small tables instead, so this
migration does nothing there; the models do not declare these indexes for the same reason.
"""

from django.db import migrations

INDEXES = [
    ("person_first_name_prefix", "people_person", "first_name"),
    ("person_last_name_prefix", "people_person", "last_name"),
    ("alias_first_name_prefix", "people_personalias", "first_name"),
    ("alias_last_name_prefix", "people_personalias", "last_name"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" (UPPER("{column}") text_pattern_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
