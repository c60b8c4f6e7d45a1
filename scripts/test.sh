#!/usr/bin/env bash
# The whole suite: lint, types, migrations, then pytest on PostgreSQL with the browser tests.
# Needs: PostgreSQL (DATABASE_URL, or a server on 127.0.0.1:5432 with trust auth, or the
# PostgreSQL server binaries to start a throwaway one) and Debian's chromium for Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || echo .tools/bin/uv)

echo "== ruff"; $UV run ruff check .; $UV run ruff format --check .
echo "== mypy"; $UV run mypy .

if [ -z "${DATABASE_URL:-}" ]; then
  if $UV run python scripts/pg_answers.py 127.0.0.1 5432; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
  else
    export DATABASE_URL=$(./scripts/throwaway_postgres.sh)
  fi
fi
echo "== PostgreSQL: ${DATABASE_URL}"

if [ ! -x /usr/bin/chromium ] && [ "${EVIDENT_SKIP_BROWSER:-}" != "1" ]; then
  echo "The browser tests need Debian's Chromium at /usr/bin/chromium: sudo apt-get install chromium" >&2
  echo "(or set EVIDENT_SKIP_BROWSER=1 to run everything else)" >&2
  exit 1
fi

echo "== migrations are up to date"
DJANGO_SETTINGS_MODULE=config.settings.test $UV run python manage.py makemigrations --check --dry-run >/dev/null
echo "== deploy checks on production settings"
DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$(head -c 48 /dev/urandom | base64)" \
  ALLOWED_HOSTS=evident.example.org $UV run python manage.py check --deploy --fail-level WARNING

echo "== pytest on PostgreSQL (everything, browser tests included)"
marker=()
[ "${EVIDENT_SKIP_BROWSER:-}" = "1" ] && marker=(-m "not browser")
$UV run pytest "${marker[@]}" "$@"

# The demo runs on SQLite, so the suite runs there too (the browser journey once is enough).
echo "== pytest on SQLite (the demo's database)"
sqlite_dir=$(mktemp -d)
trap 'rm -rf "$sqlite_dir"' EXIT
DATABASE_URL="sqlite:///$sqlite_dir/test.sqlite3" $UV run pytest -q -m "not browser" "$@"
