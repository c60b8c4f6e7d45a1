from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "evident.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from evident.accounts import checks, signals  # noqa: F401
