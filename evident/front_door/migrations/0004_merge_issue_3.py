"""Joins the front-door migrations that issue 3's parts added side by side."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("front_door", "0003_allocation_version"),
        ("front_door", "0003_mash"),
        ("front_door", "0003_outcomes"),
        ("front_door", "0003_sender_reference"),
    ]

    operations = []  # type: ignore[var-annotated]
