"""Locust users for ``benchmarks.tray``: each uses the session of one of the benchmark's
practitioners (signed in through the sign-in form before the load starts), then reads the
front-door tray and, now and then, a filtered tray.

Run by ``benchmarks.tray`` against a server on 127.0.0.1 only; not a benchmark itself.
"""

from __future__ import annotations

import itertools
import os

from locust import HttpUser, between, task

# "name=value" session cookies, separated by spaces.
SESSIONS = os.environ.get("BENCH_TRAY_SESSIONS", "").split()
TRAY = "/front-door/contacts/"
FILTERED = TRAY + "?status=awaiting_decision&status=returned&rag=red&rag=amber&allocated=me"
_numbers = itertools.count()


# Seconds a practitioner spends on the tray before the next request ("low,high").
WAIT = [float(part) for part in os.environ.get("BENCH_TRAY_WAIT", "5,15").split(",")]


class Practitioner(HttpUser):
    # A practitioner reads the page, then works on it a while before the next request.
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        name, _, value = SESSIONS[next(_numbers) % len(SESSIONS)].partition("=")
        self.client.cookies.set(name, value, domain="127.0.0.1", path="/")

    @task(3)
    def tray(self) -> None:
        with self.client.get(TRAY, name="tray", catch_response=True) as answer:
            if "front-door-tray" not in answer.text:
                answer.failure("not the tray (signed out?)")

    @task(1)
    def filtered_tray(self) -> None:
        with self.client.get(FILTERED, name="tray (filtered)", catch_response=True) as answer:
            if "tray-count" not in answer.text:
                answer.failure("not the tray (signed out?)")
