from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from evident.accounts.services import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Create one demo account per role (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = demo_accounts_create()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        names = ", ".join(a.username for a in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts ({len(created)} new): {names}; password {DEMO_PASSWORD}")
