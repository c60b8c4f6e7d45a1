#!/usr/bin/env bash
# Starts a throwaway PostgreSQL under var/pgtest from the installed server binaries and
# prints its DATABASE_URL. Says plainly what to install when there are none.
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "No PostgreSQL answers on 127.0.0.1:5432 and no server binaries are installed." >&2
  echo "Install them (sudo apt-get install postgresql) or set DATABASE_URL to a database you can create tables in." >&2
  exit 1
fi
dir=var/pgtest; port=54329
mkdir -p var
if [ ! -f "$dir/PG_VERSION" ]; then
  "$bindir/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
fi
if ! "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  "$bindir/pg_ctl" -D "$dir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" -l var/pgtest.log -w start >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$port/postgres"
