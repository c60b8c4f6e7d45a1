"""``evident api-token --organisation "Test Police" --name "PPN sender"``: a new API token.

The token is printed once and never stored (only its SHA-256), so copy it now.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evident.accounts.models import Organisation
from evident.api.services import api_token_create


class Command(BaseCommand):
    help = "Make an API token for a partner organisation's system and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name")
        parser.add_argument("--name", required=True, help='What the token is for: "PPN sender"')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.get(name=options["organisation"])
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"No organisation called {options['organisation']!r}") from exc
        try:
            made = api_token_create(organisation=organisation, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Token {made.api_token.name!r} for {organisation.name}. "
            "It is shown only now: copy it into the partner's system."
        )
        self.stdout.write(made.token)
