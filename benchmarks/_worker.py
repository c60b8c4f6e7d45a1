"""Child process: ``python -m benchmarks._worker module:function '{"kwarg": 1}'``.

Sets Django up (DATABASE_URL and DJANGO_SETTINGS_MODULE come from the parent), calls the
function and prints its JSON result on one line after a marker.
"""

from __future__ import annotations

import importlib
import json
import os
import sys


def main() -> None:
    target, raw = sys.argv[1], sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(**json.loads(raw))
    from benchmarks._support import MARKER

    print(MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
