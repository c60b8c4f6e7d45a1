# The child-in-need episode a referral opens.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("front_door", "0001_initial"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Episode",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("referral_date", models.DateField(db_index=True)),
                ("referral_source", models.CharField(choices=[('1A', 'Individual: family member, relative or carer'), ('1B', 'Individual: acquaintance (including neighbours, childminders)'), ('1C', 'Individual: self'), ('1D', 'Individual: other (including strangers)'), ('2A', 'Schools'), ('2B', 'Education services'), ('3A', 'Health services: GP'), ('3B', 'Health services: health visitor'), ('3C', 'Health services: school nurse'), ('3D', 'Health services: other primary health services'), ('3E', 'Health services: A&E'), ('3F', 'Health services: other (for example hospice)'), ('4', 'Housing: LA housing or housing association'), ('5A', 'LA services: social care (for example adult social care)'), ('5B', 'LA services: other internal department'), ('5C', 'LA services: external (for example another LA)'), ('5D', 'LA services: early help'), ('6', 'Police'), ('7', 'Other legal agency (courts, probation, immigration, Cafcass, prison)'), ('8', "Other (children's centres, independent or voluntary providers)"), ('9', 'Anonymous'), ('10', 'Unknown')], max_length=2)),
                ("allocated_at", models.DateTimeField(blank=True, null=True)),
                ("strategy_discussion_required", models.BooleanField(default=False)),
                ("strategy_discussion_due", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField()),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("closure_reason", models.CharField(blank=True, max_length=3)),
                (
                    "contact_child",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="episode",
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
                        related_name="episodes",
                        to="people.person",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="episodes",
                        to="accounts.team",
                    ),
                ),
                (
                    "worker",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocated_episodes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-referral_date", "-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("strategy_discussion_required", False),
                            ("strategy_discussion_due__isnull", False),
                            _connector="OR",
                        ),
                        name="strategy_discussion_has_due_date",
                    )
                ],
            },
        ),
    ]
