# Outcomes that carry on: early-help episodes, and the referrer told the outcome.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("front_door", "0002_portal_submissions"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="referrer_told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="EarlyHelpEpisode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("assessment_start_date", models.DateField(db_index=True)),
                ("assessment_completion_date", models.DateField(blank=True, null=True)),
                ("organisation_completing", models.CharField(max_length=200)),
                ("lead_professional", models.CharField(blank=True, max_length=200)),
                ("ended_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField()),
                (
                    "contact_child",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="early_help",
                        to="front_door.contactchild",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="early_help_episodes",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-assessment_start_date", "-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("assessment_completion_date__isnull", True),
                            ("assessment_completion_date__gte", models.F("assessment_start_date")),
                            _connector="OR",
                        ),
                        name="early_help_completed_after_start",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended_on__isnull", True),
                            ("ended_on__gte", models.F("assessment_start_date")),
                            _connector="OR",
                        ),
                        name="early_help_ended_after_start",
                    ),
                ],
            },
        ),
    ]
