from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("front_door", "0002_portal_submissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="sender_reference",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddConstraint(
            model_name="contact",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sender_reference", ""), _negated=True),
                fields=("submitting_organisation", "sender_reference"),
                name="unique_sender_reference_per_organisation",
            ),
        ),
    ]
