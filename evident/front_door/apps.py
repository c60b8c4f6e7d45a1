from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "evident.front_door"
    default_auto_field = "django.db.models.BigAutoField"
