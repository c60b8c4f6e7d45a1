from django.apps import AppConfig


class LadoConfig(AppConfig):
    name = "evident.lado"
    verbose_name = "LADO"
    default_auto_field = "django.db.models.BigAutoField"
