# The MASH at the front door: urgency, information requests, the council's standards
# (response times, levels of need), the threshold on a decision and the child's voice.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

URGENCY_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green")]

# The defaults a council starts with; edited on the front-door standards page.
DEFAULT_STANDARDS = [("red", 4, "hours"), ("amber", 1, "days"), ("green", 3, "days")]
DEFAULT_LEVELS = [
    (1, "Universal", "Needs met by universal services: schools, GPs, health visitors."),
    (2, "Early help", "Additional needs met by a single agency or early help."),
    (3, "Targeted or complex", "Complex needs: coordinated multi-agency early help."),
    (
        4,
        "Statutory (children's social care)",
        "Acute needs or risk of significant harm: children's social care.",
    ),
]


def create_defaults(apps, schema_editor):
    UrgencyStandard = apps.get_model("front_door", "UrgencyStandard")
    LevelOfNeed = apps.get_model("front_door", "LevelOfNeed")
    for urgency, amount, unit in DEFAULT_STANDARDS:
        UrgencyStandard.objects.get_or_create(
            urgency=urgency, defaults={"amount": amount, "unit": unit}
        )
    for number, name, description in DEFAULT_LEVELS:
        LevelOfNeed.objects.get_or_create(
            number=number, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("front_door", "0002_portal_submissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LevelOfNeed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(unique=True)),
                ("name", models.CharField(max_length=100)),
                ("description", models.TextField(blank=True)),
            ],
            options={"ordering": ["number"]},
        ),
        migrations.CreateModel(
            name="UrgencyStandard",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "urgency",
                    models.CharField(choices=URGENCY_CHOICES, max_length=10, unique=True),
                ),
                ("amount", models.PositiveSmallIntegerField()),
                (
                    "unit",
                    models.CharField(
                        choices=[("hours", "Working hours"), ("days", "Working days")],
                        max_length=10,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 1)), name="urgency_amount_positive"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="contact",
            name="urgency",
            field=models.CharField(blank=True, choices=URGENCY_CHOICES, max_length=10),
        ),
        migrations.AddField(
            model_name="contact",
            name="urgency_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="urgency_set_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contact",
            name="urgency_set_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="consent",
            field=models.CharField(
                choices=[
                    ("given", "Given"),
                    ("dispensed", "Dispensed with"),
                    ("refused", "Refused"),
                    ("not_sought", "Not sought"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="contactchild",
            name="voice_known",
            field=models.CharField(
                blank=True,
                choices=[
                    ("yes", "Yes"),
                    ("no", "No"),
                    ("not_applicable", "Not applicable (for example, a baby)"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="contactchild",
            name="voice_views",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="contactchild",
            name="voice_obtained",
            field=models.CharField(
                blank=True,
                choices=[
                    ("directly", "Spoke to the child directly"),
                    ("referrer", "Through the referrer"),
                    ("parent", "Through a parent or carer"),
                    ("observed", "Observed (non-verbal)"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="level_of_need",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="front_door.levelofneed",
            ),
        ),
        migrations.CreateModel(
            name="InformationRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question", models.TextField()),
                ("requested_at", models.DateTimeField()),
                ("due_at", models.DateTimeField(db_index=True)),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Awaiting answer"), ("answered", "Answered")],
                        default="open",
                        max_length=10,
                    ),
                ),
                ("answer", models.TextField(blank=True)),
                ("answered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="information_requests",
                        to="front_door.contact",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="information_requests",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["due_at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "answered"), _negated=True),
                            models.Q(
                                ("answered_at__isnull", False), ("answered_by__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="answered_request_has_who_and_when",
                    )
                ],
            },
        ),
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
    ]
