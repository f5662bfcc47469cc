"""Locust users for benchmarks/load_test.py (run by it; not on its own).

Each simulated member of staff holds a session made by load_test.py (its
cookie is in the JSON file named by LOAD_SESSIONS) and, with a pause between
requests, opens their caseload, the first page of all children, a child's
record and the performance dashboard. Plain Locust: no Django import here.
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

SETUP = json.loads(open(os.environ["LOAD_SESSIONS"]).read())  # noqa: SIM115
_sessions = itertools.cycle(SETUP["sessions"])
WAIT = float(os.environ.get("LOAD_WAIT_MIN", "0.5")), float(os.environ.get("LOAD_WAIT_MAX", "2"))


class Staff(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.cookies.set("sessionid", next(_sessions))

    def get(self, path: str, name: str):
        # A redirect (to the sign-in page) or any status but 200 is an error.
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code} {response.error or ''}")

    @task(3)
    def caseload(self):
        self.get("/caseload/", "caseload (mine)")

    @task(1)
    def caseload_all(self):
        self.get("/caseload/all/", "caseload (all children)")

    @task(4)
    def child(self):
        self.get(f"/children/{random.choice(SETUP['children'])}/", "child's page")

    @task(1)
    def dashboard(self):
        self.get("/performance/", "performance dashboard")
