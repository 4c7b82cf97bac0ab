"""The benchmark's HTTP load: one locust user class per measured scenario.

scripts/bench.py starts `python scripts/bench_locust.py OUT` in a process of its own (locust
monkey-patches the standard library with gevent, which must not meet the Django set-up bench.py
does for seeding), with BENCH_LOCUST_CONFIG naming a JSON file: the server's address, the region
page's region and its adviser, one route step per client (id, region code, version) for the inline
save, the scenarios, the client counts and the seconds per row. This process logs the programme
manager and the adviser in once, warms every scenario up, runs each (scenario, clients) row and
writes the rows to OUT.

The percentiles are computed from every measured request's time (locust's `request` event), not
taken from locust's statistics, which round them (to two significant digits above 100 ms).

With the same BENCH_LOCUST_CONFIG the file is also an ordinary locustfile:
`locust -f scripts/bench_locust.py` against a running server, e.g. to watch one scenario.
"""

import collections
import itertools
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

import gevent
import gevent.lock
from locust import FastHttpUser, between, task  # it monkey-patches: before requests loads ssl
from locust.env import Environment
from requests import Session
from requests.cookies import RequestsCookieJar

CONFIG = json.loads(Path(os.environ["BENCH_LOCUST_CONFIG"]).read_text())
WARM_UP = (16, 4)  # connections, requests on each (bench.py seeds a route step for each)
STEP = {
    "order": "90",
    "title": "Benchstap",
    "description": "Wordt door de benchmark opgeslagen.",
    "parties": "Gemeenten en SOB",
    "expertise": ["governance"],
    "planned_date": "2026-11-30",
    "status": "lopend",
}
sessions: dict[str, RequestsCookieJar] = {}  # username -> cookies
logging_in = gevent.lock.BoundedSemaphore()  # the first client logs in, the others wait
versions = {index: version for index, (_pk, _code, version) in enumerate(CONFIG["steps"])}
client_numbers = itertools.count()  # which route step a user saves


def log_in(username: str) -> RequestsCookieJar:
    """Through the log-in form, once per user: every client of a scenario shares the session."""
    with logging_in:
        if username in sessions:
            return sessions[username]
        browser = Session()
        url = CONFIG["host"] + "/inloggen/"
        form = browser.get(url, timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        response = browser.post(
            url,
            {"username": username, "password": "regiomonitor-demo", "csrfmiddlewaretoken": token},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise SystemExit(f"Log-in for the benchmark failed: HTTP {response.status_code}")
        pass_second_factor(browser)
        sessions[username] = browser.cookies
    return sessions[username]


def pass_second_factor(browser: Session) -> None:
    """The demo's programme manager has the demo's authenticator app (demo/data.py): type its
    code, or the next one when an earlier run of the benchmark took this one (a code is taken
    once)."""
    from django_otp.oath import TOTP  # after locust's monkey-patching, as every import here

    home = browser.get(CONFIG["host"] + "/", allow_redirects=False, timeout=30)
    if not home.headers.get("Location", "").startswith("/tweede-factor/"):
        return
    url = CONFIG["host"] + "/tweede-factor/"
    for drift in (0, 1):
        form = browser.get(url, timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        code = f"{TOTP(bytes.fromhex(CONFIG['totp_key']), drift=drift).token():06d}"
        answer = browser.post(
            url,
            {"code": code, "csrfmiddlewaretoken": token},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code == 302:
            return
        gevent.sleep(1.1)  # a wrong code makes the device wait a second
    raise SystemExit("The benchmark's user did not pass the second factor")


class Client(FastHttpUser):  # geventhttpclient: less of the machine's CPU than HttpUser's requests
    abstract = True
    host = CONFIG["host"]
    wait_time = between(0.5, 1.5)
    network_timeout = connection_timeout = 30.0
    username = "pieter"  # the programme manager
    label = ""  # the scenario, and the name of its measured request

    def on_start(self) -> None:
        self.begin()
        # locust starts a row's clients at once; a burst of first requests would be a good part
        # of a row's few hundred and decide its p95
        gevent.sleep(random.uniform(0, 1))

    def begin(self) -> None:
        for cookie in log_in(self.username):
            self.client.cookiejar.set_cookie(cookie)
        self.number = next(client_numbers)
        self.saves = 0

    def request(self, method: str, path: str, name: str, done=None, **kwargs) -> bool:
        """A request that fails unless it answers 200 (not a redirect to the log-in page) and
        done(response) holds."""
        with self.client.request(
            method,
            path,
            name=name,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            ok = response.status_code == 200 and (done is None or done(response))
            if not ok:
                response.failure(f"HTTP {response.status_code}")
        return ok

    def save(self, name: str) -> bool:
        """Save this client's own route step inline (htmx, CSRF), from the version it saved
        last."""
        pk, code, _version = CONFIG["steps"][self.number]
        token = next(cookie.value for cookie in self.client.cookiejar if cookie.name == "csrftoken")
        form = {
            **STEP,
            "title": f"Benchstap {self.number}",
            "description": f"Opgeslagen door de benchmark, keer {self.saves}.",
            "version": str(versions[self.number]),
        }
        self.saves += 1
        saved = self.request(
            "POST",
            f"/regios/{code}/processtappen/{pk}/bewerken/",
            name,
            done=lambda response: "Opgeslagen." in response.text,
            data=urllib.parse.urlencode(form, doseq=True),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": token,
                "HX-Request": "true",
            },
        )
        if saved:
            versions[self.number] += 1
        return saved


class Dashboard(Client):
    label = "dashboard"

    @task
    def visit(self) -> None:
        self.request("GET", "/dashboard/", self.label)


class RegionPage(Client):
    """A region page as its adviser; its sections are kept rendered per process."""

    label = "region page"
    username = CONFIG["adviser"]

    @task
    def visit(self) -> None:
        self.request("GET", f"/regios/{CONFIG['region']}/", self.label)


class RegionPageAfterSave(Client):  # not a RegionPage: locust would inherit its task too
    """The region page right after this client saved a route step: the changed section is
    rendered anew. Only the page view is measured."""

    label = "region page after a save"
    username = CONFIG["adviser"]

    @task
    def visit(self) -> None:
        self.save("save before the region page (not measured)")
        self.request("GET", f"/regios/{CONFIG['region']}/", self.label)


class InlineSave(Client):
    label = "inline save"
    username = CONFIG["adviser"]

    @task
    def visit(self) -> None:
        self.save(self.label)


class ResultsPage(Client):
    label = "results page"

    @task
    def visit(self) -> None:
        self.request("GET", "/resultaten/", self.label)


class ApiLists(Client):
    """The API's list endpoints with the programme manager's personal token (no session):
    one of them at random per request, all measured under one label."""

    label = "API list endpoints"

    def begin(self) -> None:
        self.number = next(client_numbers)
        region = CONFIG["region"]
        self.paths = [
            "/api/v1/regions/",
            f"/api/v1/regions/{region}/progress-updates/",
            f"/api/v1/regions/{region}/route-steps/",
            f"/api/v1/regions/{region}/meetings/",
            f"/api/v1/regions/{region}/documents/",
            f"/api/v1/regions/{region}/history/",
            f"/api/v1/regions/{region}/exports/",
            "/api/v1/deployments/",
            "/api/v1/specialists/",
            "/api/v1/portfolios/",
            "/api/v1/notifications/",
            "/api/v1/products/",
            "/api/v1/development-lines/",
            "/api/v1/certifications/",
            "/api/v1/innovation-agenda/",
            "/api/v1/insights/",
            "/api/v1/reports/",
            "/api/v1/saved-views/",
            "/api/v1/imports/",
            "/api/v1/search/?q=financi%C3%ABn",
        ]
        self.headers = {"Authorization": f"Bearer {CONFIG['api_token']}"}

    @task
    def visit(self) -> None:
        self.request("GET", random.choice(self.paths), self.label, headers=self.headers)


class Search(Client):
    """The search page as an adviser: one of a few everyday questions at random, each found in
    several kinds of record of the demo data."""

    label = "search"
    username = CONFIG["adviser"]
    questions = (
        "financiën",
        "bijeenkomsten",
        "besluitvorming",
        "governance",
        "scenario",
        "stuurgroep",
        '"sociaal ontwikkelbedrijf"',
        "raad -college",
    )

    @task
    def visit(self) -> None:
        query = urllib.parse.urlencode({"q": random.choice(self.questions)})
        self.request("GET", f"/zoeken/?{query}", self.label)


SCENARIOS = {
    user.label: user
    for user in (
        Dashboard,
        RegionPage,
        RegionPageAfterSave,
        InlineSave,
        ResultsPage,
        ApiLists,
        Search,
    )
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Row:
    """An environment for one scenario that records its measured requests' times and counts
    every failed request and every error in a task."""

    def __init__(self, user: type[Client]):
        global client_numbers
        client_numbers = itertools.count()  # the row's clients save steps 0, 1, ...
        # stop_timeout: at the end of a row a client finishes the request it is making
        self.environment = Environment(user_classes=[user], stop_timeout=30)
        self.label = user.label
        self.times: list[float] = []
        self.errors: collections.Counter[str] = collections.Counter()
        self.environment.events.request.add_listener(self.on_request)
        self.environment.events.user_error.add_listener(self.on_error)

    def on_request(self, name, response_time, exception, **_kwargs) -> None:
        if name == self.label:
            self.times.append(response_time)
        if exception is not None:
            self.errors[f"{name}: {exception}"] += 1

    def on_error(self, exception, **_kwargs) -> None:
        self.errors[repr(exception)] += 1


def warm_up(user: type[Client]) -> collections.Counter[str]:
    """Requests on many parallel connections, so that every gunicorn process and thread has
    loaded its templates, catalogues and database connection before anything is measured (one
    keep-alive connection would warm a single process only)."""
    row = Row(user)
    connections, each = WARM_UP

    def client() -> None:
        one = user(row.environment)
        one.begin()
        for _ in range(each):
            one.visit()

    gevent.joinall([gevent.spawn(client) for _ in range(connections)], raise_error=True)
    return row.errors


def measure(user: type[Client], clients: int) -> tuple[dict, collections.Counter[str]]:
    """`clients` users for the row's seconds; each makes its first request within the first
    second."""
    row = Row(user)
    runner = row.environment.create_local_runner()
    began = time.monotonic()
    runner.start(clients, spawn_rate=clients)
    gevent.sleep(CONFIG["seconds"])
    runner.quit()
    seconds = time.monotonic() - began
    times = row.times or [0.0]
    figures = {
        "label": user.label,
        "clients": clients,
        "requests": len(row.times),
        "errors": row.errors.total(),
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "rps": len(row.times) / seconds,
    }
    return figures, row.errors


def main() -> None:
    prefix = f"[{CONFIG['regions']}]"
    for label, user in SCENARIOS.items():
        if errors := warm_up(user):
            raise SystemExit(f"{prefix} warming up {label} failed: {dict(errors)}")
    rows = []
    for label in CONFIG["scenarios"]:
        for clients in CONFIG["clients"]:
            row, errors = measure(SCENARIOS[label], clients)
            rows.append(row)
            print(
                f"{prefix} {label:<25} {clients:>3} clients: p95 {row['p95']:.1f} ms, "
                f"{row['rps']:.1f} req/s, {row['errors']} errors"
                + "".join(f"\n    {count} x {error}" for error, count in errors.most_common(3)),
                flush=True,
            )
    Path(sys.argv[1]).write_text(json.dumps(rows))


if __name__ == "__main__":
    main()
