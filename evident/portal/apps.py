from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "evident.portal"
    default_auto_field = "django.db.models.BigAutoField"
