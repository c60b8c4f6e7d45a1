from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "evident.performance"
    default_auto_field = "django.db.models.BigAutoField"
