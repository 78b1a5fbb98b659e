"""The locust users for bench/load.py (not run on its own).

Each user carries the session cookie the driver made (BENCH_SESSION) and asks for the pages in
BENCH_PAGES (JSON: [[name, url, weight], ...]) with no think time, so the server sets the pace.
BENCH_MODE=mix picks pages at random by weight; BENCH_MODE=cycle asks for each in turn (the
single-client run, so every page gets the same number of samples).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

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
