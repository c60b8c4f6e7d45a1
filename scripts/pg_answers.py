"""Exit 0 when a PostgreSQL server answers at HOST PORT, else 1 (no client tools needed)."""

import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
try:
    with socket.create_connection((host, port), timeout=2):
        sys.exit(0)
except OSError:
    sys.exit(1)
