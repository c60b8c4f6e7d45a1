"""The ``evident`` console command: Django's management commands under one name.

``evident seed``, ``evident annex-a`` and every other management command
(``evident migrate``) pass straight through to Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["evident", *argv])
    # Our command names use hyphens (annex-a); Django's modules cannot.
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)
    return 0
