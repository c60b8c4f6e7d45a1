"""ReferralNFA had been set for every RC8 closure; it means a referral that went no further
(no assessment, no enquiry). Clear it where the episode had either."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def clear_after_further_work(apps, schema_editor):
    Episode = apps.get_model("casework", "Episode")
    Assessment = apps.get_model("casework", "Assessment")
    Section47 = apps.get_model("casework", "Section47")
    Episode.objects.filter(referral_nfa=True).filter(
        Exists(Assessment.objects.filter(episode=OuterRef("pk")))
        | Exists(Section47.objects.filter(episode=OuterRef("pk")))
    ).update(referral_nfa=False)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_steps_allocations_plans_closure")]

    operations = [migrations.RunPython(clear_after_further_work, migrations.RunPython.noop)]
