from django.apps import AppConfig


class InspectionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evident.inspection"
    verbose_name = "Inspection and improvement"
