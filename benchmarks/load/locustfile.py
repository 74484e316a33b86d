"""The load test's users: department, city and enterprise staff signed in, anonymous public visitors, and a
health probe. Run by benchmarks/load.py, which starts the server and passes the demo's ids in the file
named by LOAD_TARGETS (JSON); see the README section "Load test".

Requests are named by page kind ("dept: dashboard", "public: bulletin"), so locust's statistics group one
line per kind whatever the id in the URL. The think times are those of people reading pages: a few
seconds between clicks; the probe asks /healthz once a second, as a load balancer does."""

import json
import os
import random
import re
from pathlib import Path

import requests
from locust import HttpUser, between, constant_pacing, task

TARGETS: dict = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text()) if os.environ.get("LOAD_TARGETS") else {}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignedIn(HttpUser):
    """A user who signs in once (not measured: stats are reset once every user has started) and then
    browses. `account` names the entry of TARGETS["accounts"] holding the username and password."""

    abstract = True
    account = ""
    wait_time = between(2, 6)

    def on_start(self) -> None:
        # Signed in with a session of its own, outside locust's statistics: the sign-in is not a page kind.
        creds = TARGETS["accounts"][self.account]
        with requests.Session() as s:
            page = s.get(self.host + "/accounts/login/", timeout=60)
            token = CSRF.search(page.text)[1]
            data = {"username": creds["username"], "password": creds["password"], "csrfmiddlewaretoken": token}
            r = s.post(self.host + "/accounts/login/", data=data, timeout=60, allow_redirects=False)
            if r.status_code != 302:
                raise RuntimeError(f"sign-in of {creds['username']} failed: {r.status_code}")
            self.client.cookies.update(s.cookies)

    def page(self, path: str, kind: str) -> None:
        with self.client.get(path, name=kind, catch_response=True, allow_redirects=False) as r:
            # A redirect here means the session was lost (sign-in page): a failure, not a fast page.
            if r.status_code != 200:
                r.failure(f"{r.status_code}")


class Department(SignedIn):
    """The provincial department: its target dashboard and every module's overview."""

    weight = 1
    account = "department"

    @task(4)
    def home(self) -> None:
        self.page("/", "dept: home")

    @task(3)
    def indicators(self) -> None:
        self.page("/stats/", "dept: indicators")

    @task(3)
    def registry(self) -> None:
        self.page("/registry/", "dept: enterprise list")

    @task(3)
    def enterprise(self) -> None:
        self.page(f"/registry/enterprises/{random.choice(TARGETS['enterprises'])}/", "dept: enterprise")

    @task(2)
    def reports(self) -> None:
        self.page("/stats/reports/", "dept: report list")

    @task(2)
    def monitoring(self) -> None:
        self.page("/monitoring/", "dept: monitoring board")

    @task(1)
    def capacity(self) -> None:
        self.page("/capacity/", "dept: capacity")

    @task(1)
    def enforcement(self) -> None:
        self.page("/enforcement/", "dept: enforcement")

    @task(1)
    def pricing(self) -> None:
        self.page("/pricing/", "dept: surcharges")

    @task(1)
    def supervision(self) -> None:
        self.page("/supervision/", "dept: supervision")

    @task(1)
    def support(self) -> None:
        self.page("/support/", "dept: support")

    @task(1)
    def cooperation(self) -> None:
        self.page("/cooperation/", "dept: cooperation")

    @task(1)
    def credit(self) -> None:
        self.page("/credit/", "dept: credit")


class City(SignedIn):
    """A city bureau (Yulin): its enterprises, their reports and its enforcement cases."""

    weight = 2
    account = "city"

    @task(3)
    def home(self) -> None:
        self.page("/", "city: home")

    @task(3)
    def registry(self) -> None:
        self.page("/registry/", "city: enterprise list")

    @task(3)
    def enterprise(self) -> None:
        self.page(f"/registry/enterprises/{random.choice(TARGETS['city_enterprises'])}/", "city: enterprise")

    @task(2)
    def reports(self) -> None:
        self.page("/stats/reports/", "city: report list")

    @task(1)
    def monitoring(self) -> None:
        self.page("/monitoring/", "city: monitoring board")

    @task(1)
    def cases(self) -> None:
        self.page("/enforcement/cases/", "city: cases")

    @task(1)
    def supervision(self) -> None:
        self.page("/supervision/", "city: supervision")


class EnterpriseUser(SignedIn):
    """An enterprise's statistician: its own page, its monthly reports and surcharges."""

    weight = 3
    account = "enterprise"

    @task(3)
    def home(self) -> None:
        self.page("/", "ent: home")

    @task(3)
    def reports(self) -> None:
        self.page("/stats/reports/", "ent: report list")

    @task(2)
    def own(self) -> None:
        self.page(f"/registry/enterprises/{TARGETS['own_enterprise']}/", "ent: own enterprise")

    @task(1)
    def surcharges(self) -> None:
        self.page("/pricing/mine/", "ent: surcharges")

    @task(1)
    def monitoring(self) -> None:
        self.page("/monitoring/", "ent: monitoring board")


class Public(HttpUser):
    """An anonymous visitor of the public portal: announcements, open data, bulletins."""

    weight = 6
    wait_time = between(2, 8)

    def page(self, path: str, kind: str) -> None:
        with self.client.get(path, name=kind, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(5)
    def home(self) -> None:
        self.page("/public/", "public: home")

    @task(3)
    def announcements(self) -> None:
        self.page("/public/announcements/", "public: announcements")

    @task(2)
    def open_data(self) -> None:
        self.page("/public/data/", "public: open data")

    @task(1)
    def csv(self) -> None:
        self.page("/public/data/indicators.csv", "public: dataset csv")

    @task(1)
    def api(self) -> None:
        self.page("/api/v1/public/datasets/indicators", "public: dataset api")

    @task(2)
    def bulletins(self) -> None:
        self.page("/public/bulletins/", "public: bulletin list")

    @task(3)
    def bulletin(self) -> None:
        self.page(random.choice(TARGETS["bulletins"]), "public: bulletin")

    @task(1)
    def capacity(self) -> None:
        self.page("/public/capacity/", "public: capacity notices")

    @task(1)
    def enforcement(self) -> None:
        self.page("/public/enforcement/", "public: enforcement notices")

    @task(1)
    def credit(self) -> None:
        self.page("/public/credit/", "public: credit list")


class Probe(HttpUser):
    """The baseline: /healthz once a second on the same server in the same run, one probe whatever the
    number of users."""

    fixed_count = 1
    wait_time = constant_pacing(1)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="health: /healthz")
