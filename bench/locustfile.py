"""The locust users for bench/load.py (not run on its own).

Each user carries the session cookie the driver made (BENCH_SESSION) and asks for the pages in
BENCH_PAGES (JSON: [[name, url, weight], ...]) with no think time, so the server sets the pace.
BENCH_MODE=mix picks pages at random by weight; BENCH_MODE=cycle asks for each in turn (the
single-client run, so every page gets the same number of samples).

BENCH_WRITES_PER_MINUTE (the load run only): one more user, an editor (BENCH_EDITOR_SESSION), changes
an activity's RAG through the list page's inline form (htmx POST, CSRF and the version it saw) at that
pace, so that cached figures are worked out again as they are in an office where people are updating.
Its activities are BENCH_WRITE_ACTIVITIES (JSON: [[pk, version], ...]); a write that is refused (a
stale version, a validation error) counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
from pathlib import Path

from locust import FastHttpUser, constant, constant_pacing, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ragchange

PAGES = [tuple(p) for p in json.loads(os.environ["BENCH_PAGES"])]
MODE = os.environ.get("BENCH_MODE", "mix")


class OfficeUser(FastHttpUser):
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        cookie = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")
        self.headers = {"Cookie": f"{cookie}={os.environ['BENCH_SESSION']}"}
        self.rng = random.Random()
        self.cycle = itertools.cycle(PAGES)

    @task
    def page(self) -> None:
        if MODE == "cycle":
            name, url, _ = next(self.cycle)
        else:
            name, url, _ = self.rng.choices(PAGES, weights=[p[2] for p in PAGES])[0]
        get = self.client.get
        with get(url, name=name, headers=self.headers, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


WRITES_PER_MINUTE = float(os.environ.get("BENCH_WRITES_PER_MINUTE") or 0)


class EditorUser(FastHttpUser):
    """Changes a RAG every 60 / BENCH_WRITES_PER_MINUTE seconds, beside the readers."""

    abstract = not (WRITES_PER_MINUTE and MODE == "mix")
    fixed_count = 1
    wait_time = constant_pacing(60 / WRITES_PER_MINUTE) if WRITES_PER_MINUTE else constant(0)
    network_timeout = 30.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        cookie = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")
        self.headers = ragchange.headers(cookie, os.environ["BENCH_EDITOR_SESSION"], os.environ["BENCH_CSRF"])
        self.versions = dict(json.loads(os.environ["BENCH_WRITE_ACTIVITIES"]))
        self.rng = random.Random(13)
        self.changes = itertools.count()

    @task
    def change_rag(self) -> None:
        pk = self.rng.choice(list(self.versions))
        data = ragchange.form(next(self.changes), self.versions[pk])
        post = self.client.post
        with post(
            ragchange.url(pk), data=data, name=ragchange.NAME, headers=self.headers, catch_response=True
        ) as response:
            version = ragchange.saved(response.text or "") if response.status_code == 200 else None
            if version is None:
                response.failure(f"HTTP {response.status_code}: the change was not saved")
            else:
                self.versions[pk] = version
