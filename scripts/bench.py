"""Benchmark: latency of the main pages under concurrent users, against the real server.

Run with `make bench` (not part of `make test`). It
1. prepares a separate database `regiomonitor_bench` with the reference data, the demo data and
   two years of weekly history per region (meetings, signals, instrument use, quarterly updates,
   route step edits in the audit history);
2. starts gunicorn (2 workers x 4 threads, DEBUG off) on that database;
3. lets N concurrent clients (logged-in users) request a page, each waiting a think time of
   0.5-1.5 s between requests, like people clicking through the app;
4. prints p50/p95/p99, throughput and the ratio to the target for each page and client count;
5. starts a real pdf worker (concurrency 1) and measures the quarterly report for 35 regions and a
   dossier export: wall time from enqueueing to the finished file, and the worker's peak RSS;
   then renders the report BENCH_RENDERS times in a row (default 200) and prints how much the
   worker's RSS grew from the 10th render to the last.
"""

import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8002"))
DURATION = float(os.environ.get("BENCH_SECONDS", "30"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
# "pages" (latency table) and/or "jobs" (report, export, RSS over RENDERS renders)
PARTS = os.environ.get("BENCH_PARTS", "pages,jobs").split(",")
MAX_TASKS_PER_CHILD = "25"  # as the pdf worker in docker-compose.yml and scripts/demo.sh
BENCH_QUEUE = "bench-pdf"
BASE_DB = os.environ.get(
    "DATABASE_URL", "postgres://regiomonitor:regiomonitor@127.0.0.1:55432/regiomonitor"
)
BENCH_DB = BASE_DB.rsplit("/", 1)[0] + "/regiomonitor_bench"

# (label, path, clients, p95 target in ms or None)
SCENARIOS = [
    ("dashboard", "/dashboard/", 1, None),
    ("dashboard", "/dashboard/", 20, 150),
    ("region page", "/regios/AM21/", 20, 80),
    ("results page", "/resultaten/", 20, None),
]


def manage(*args: str) -> None:
    env = {**os.environ, "DATABASE_URL": BENCH_DB, "DEBUG": "false"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database() -> None:
    import psycopg

    url = urllib.parse.urlsplit(BASE_DB)
    with psycopg.connect(BASE_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'regiomonitor_bench'"
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE regiomonitor_bench OWNER "{url.username}"')
    manage("migrate", "--noinput", "-v0")
    manage("load_reference_data")
    manage("load_demo_data")


def add_history() -> None:
    """Two years of weekly activity per region; skipped when already there."""
    os.environ["DATABASE_URL"] = BENCH_DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from innovation.models import ProductVersion
    from monitoring.models import Meeting, ProductUse, ProgressUpdate, RouteStep, Signal
    from regions.models import Region

    if Meeting.objects.filter(title__startswith="Wekelijks overleg").exists():
        return
    rng = random.Random(2026)
    start = date(2024, 12, 2)
    # Uses link to a published version of the demo catalogue, as the region page form does.
    scan = (
        ProductVersion.objects.filter(status="gepubliceerd", product__kind="scan")
        .select_related("product")
        .first()
    )
    with transaction.atomic():
        for region in Region.objects.select_related("adviser"):
            meetings, signals, uses = [], [], []
            for week in range(104):
                day = start + timedelta(weeks=week)
                if week % 2 == 0:
                    meetings.append(
                        Meeting(
                            region=region,
                            kind=rng.choice(
                                [
                                    "intervisie",
                                    "kennisbijeenkomst",
                                    "partneroverleg",
                                    "inspiratiesessie",
                                ]
                            ),
                            title=f"Wekelijks overleg {week}",
                            date=day,
                            minutes="Verslag van het overleg.",
                            insights="Inzicht.",
                        )
                    )
                if week % 4 == 0:
                    signals.append(
                        Signal(
                            region=region,
                            title=f"Signaal week {week}",
                            description="Toelichting",
                            addressed_to="vng",
                            raised_on=day,
                            status="beantwoord",
                            response="Ja",
                        )
                    )
                    uses.append(
                        ProductUse(
                            region=region,
                            product_version=scan,
                            product_name=scan.product.name if scan else "Scan",
                            applied_on=day,
                        )
                    )
            Meeting.objects.bulk_create(meetings)
            Signal.objects.bulk_create(signals)
            ProductUse.objects.bulk_create(uses)
            for year, quarter in [(2025, 1), (2025, 2)]:
                update = ProgressUpdate.objects.create(
                    region=region,
                    year=year,
                    quarter=quarter,
                    status="op_koers",
                    narrative="Historische update.",
                    author=region.adviser,
                )
                ProgressUpdate.objects.filter(pk=update.pk).update(
                    created_at=timezone.make_aware(datetime(year, quarter * 3, 20))
                )
            step = RouteStep.objects.filter(region=region).first()
            for week in range(0, 104, 2):  # edits land in the audit history
                step.description = f"Bijgewerkt in week {week}"
                step.version += 1
                step.save(update_fields=["description", "version"])


def login(username: str) -> str:
    conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.request("GET", "/inloggen/")
    response = conn.getresponse()
    body = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie = response.getheader("Set-Cookie").split(";")[0]
    form = urllib.parse.urlencode(
        {"username": username, "password": "regiomonitor-demo", "csrfmiddlewaretoken": token}
    )
    conn.request(
        "POST",
        "/inloggen/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{PORT}/inloggen/",
        },
    )
    response = conn.getresponse()
    response.read()
    cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    if response.status != 302:
        raise SystemExit(f"Log-in for the benchmark failed: HTTP {response.status}")
    return "; ".join(cookies)


def run(path: str, clients: int, cookie: str) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + DURATION

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
        time.sleep(rng.uniform(0, 1))  # do not all start at the same instant
        while time.monotonic() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                errors += response.status != 200
            time.sleep(rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.monotonic() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _rss_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process in KiB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]


def _pool_children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _wait_done(model, pk: int, timeout: float = 300) -> float:
    began = time.perf_counter()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = model.objects.filter(pk=pk).values_list("state", flat=True).first()
        if state == "klaar":
            return time.perf_counter() - began
        if state == "mislukt":
            raise SystemExit(f"{model.__name__} {pk} failed: {model.objects.get(pk=pk).error}")
        time.sleep(0.02)
    raise SystemExit(f"{model.__name__} {pk} not done within {timeout} s")


def render_benchmark() -> list[tuple]:
    """Quarterly report and dossier export through a real worker; worker RSS over many renders."""
    from django.conf import settings

    from accounts.models import User
    from config.celery import app
    from regions.models import Region
    from reporting.models import DossierExport, JobState, Report, Snapshot
    from reporting.services import enqueue, freeze_quarter

    with app.connection_for_write() as conn:  # jobs queued by the demo data are not measured
        conn.default_channel.queue_declare(BENCH_QUEUE, durable=True, auto_delete=False)
        conn.default_channel.queue_purge(BENCH_QUEUE)
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_DB,
        "DEBUG": "false",
        "PDF_QUEUE": BENCH_QUEUE,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            BENCH_QUEUE,
            "-n",
            f"bench-pdf-{os.getpid()}@localhost",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    rows = []
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[f"bench-pdf-{os.getpid()}@localhost"]):
            if time.monotonic() > deadline:
                raise SystemExit("The benchmark worker did not start.")
        pm = User.objects.get(username="pieter")
        snapshot = Snapshot.objects.filter(year=2026, quarter=3).first() or freeze_quarter(
            year=2026, quarter=3, by=pm
        )
        report, _ = Report.objects.get_or_create(snapshot=snapshot)

        def render_once() -> float:
            Report.objects.filter(pk=report.pk).update(state=JobState.QUEUED, attempts=0)
            enqueue(report)
            return _wait_done(Report, report.pk)

        def child() -> int:  # the current pool process (replaced every MAX_TASKS_PER_CHILD jobs)
            for _ in range(100):
                children = _pool_children(worker.pid)
                if children:
                    return children[0]
                time.sleep(0.05)
            raise SystemExit("The benchmark worker has no pool process.")

        first = render_once()  # a cold worker: imports, fonts
        rss_before = _rss_kib(child())[0]
        times = [render_once() for _ in range(3)]
        _rss, peak = _rss_kib(child())
        pages = subprocess.run(
            [
                "pdfinfo",
                str(Path(settings.MEDIA_ROOT) / Report.objects.get(pk=report.pk).file.name),
            ],
            capture_output=True,
            text=True,
        ).stdout
        page_count = re.search(r"Pages:\s+(\d+)", pages).group(1)
        rows.append(("quarterly report (35 regions, first)", first, None, 8.0, None))
        rows.append(
            (
                f"quarterly report ({page_count} pages, median of 3)",
                statistics.median(times),
                peak / 1024,
                8.0,
                300,
            )
        )
        region = max(Region.objects.all(), key=lambda r: r.meetings.count() + r.documents.count())
        export_times = []
        for _ in range(3):
            export = DossierExport.objects.create(region=region, requested_by=pm)
            enqueue(export)
            export_times.append(_wait_done(DossierExport, export.pk))
        _rss, peak = _rss_kib(child())
        rows.append(
            (
                f"dossier export ({region.name}, median of 3)",
                statistics.median(export_times),
                peak / 1024,
                3.0,
                None,
            )
        )
        if RENDERS:
            print(f"Rendering the quarterly report {RENDERS} times in a row...", flush=True)
            sampled = []
            for _index in range(RENDERS):
                render_once()
                sampled.append(_rss_kib(child())[0])
            # The 10th render against the largest RSS seen after any later render.
            growth = (max(sampled[9:]) - sampled[9]) / sampled[9] * 100
            rows.append(
                (
                    f"RSS growth, render 10 → max of 10..{RENDERS}",
                    growth,
                    max(sampled) / 1024,
                    10.0,
                    300,
                )
            )
        print(
            f"(worker pool process RSS before the first timed render: {rss_before / 1024:.0f} MB)"
        )
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
    return rows


def print_render_rows(rows) -> None:
    print()
    print(f"{'job':<48}{'value':>10}{'RSS MB':>9}{'target':>10}{'ratio':>8}")
    for label, value, rss, target, rss_target in rows:
        unit = "%" if label.startswith("RSS growth") else " s"
        ratio = value / target
        met = " met" if ratio <= 1 and (rss_target is None or rss <= rss_target) else " MISSED"
        rss_text = f"{rss:.0f}" if rss is not None else "—"
        target_text = f"≤ {target:g}{unit.strip()}" + (f", ≤ {rss_target} MB" if rss_target else "")
        print(
            f"{label:<48}{value:>9.2f}{unit[-1]}{rss_text:>9}  {target_text:<20}{ratio:>5.2f}{met}"
        )


def main() -> None:
    os.environ["PDF_QUEUE"] = BENCH_QUEUE
    print("Preparing the benchmark database (demo data plus two years of history)...")
    ensure_database()
    add_history()
    if "pages" in PARTS:
        page_benchmark()
    if "jobs" in PARTS:
        print_render_rows(render_benchmark())


def page_benchmark() -> None:
    env = {**os.environ, "DATABASE_URL": BENCH_DB, "DEBUG": "false"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/gezondheid/live/")
                break
            except OSError:
                time.sleep(0.2)
        cookie = login("pieter")
        for _, path, _, _ in SCENARIOS:  # warm up every worker
            for _ in range(6):
                conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie})
                conn.getresponse().read()
        rows = []
        for label, path, clients, target in SCENARIOS:
            latencies, errors, seconds = run(path, clients, cookie)
            p95 = percentile(latencies, 95)
            rows.append(
                (
                    label,
                    clients,
                    len(latencies),
                    errors,
                    statistics.median(latencies),
                    p95,
                    percentile(latencies, 99),
                    len(latencies) / seconds,
                    target,
                )
            )
        print()
        print(
            f"{'page':<14}{'clients':>8}{'requests':>10}{'errors':>8}{'p50 ms':>9}"
            f"{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}{'target p95':>12}{'ratio':>8}"
        )
        for label, clients, n, errors, p50, p95, p99, rps, target in rows:
            ratio = f"{p95 / target:.2f}" if target else "—"
            met = "" if not target else (" met" if p95 <= target else " MISSED")
            print(
                f"{label:<14}{clients:>8}{n:>10}{errors:>8}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
                f"{rps:>8.1f}{(str(target) + ' ms') if target else '—':>12}{ratio:>8}{met}"
            )
        print(
            f"\nEach client waits 0.5-1.5 s between requests; {DURATION:.0f} s per row; "
            f"{os.cpu_count()} CPU cores; server: gunicorn 2 workers x 4 threads."
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
