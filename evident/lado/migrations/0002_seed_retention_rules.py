from django.db import migrations

# security.md 1.6 (Devon's periods); the council changes them on the retention page.
DEFAULT_RULES = {
    "substantiated": ("birth", 100),
    "unsubstantiated": ("birth", 100),
    "unfounded": ("closure", 10),
    "malicious": ("closure", 10),
    "false": ("closure", 10),
    "advice": ("closure", 6),
    "not_met": ("closure", 6),
}


def seed(apps, schema_editor):
    Rule = apps.get_model("lado", "LadoRetentionRule")
    for applies_to, (basis, years) in DEFAULT_RULES.items():
        Rule.objects.get_or_create(applies_to=applies_to, defaults={"basis": basis, "years": years})


class Migration(migrations.Migration):
    dependencies = [("lado", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
