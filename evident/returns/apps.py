from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """Statutory data returns built from the casework records: the DfE CIN census."""

    name = "evident.returns"
    default_auto_field = "django.db.models.BigAutoField"
