"""Benchmark: the main pages under concurrent users, and the PDF jobs, at 35 and 350 regions.

Run with `make bench` (not part of `make test`). For each variant (BENCH_VARIANTS, default
"35,350") it
1. prepares its own database (`regiomonitor_bench`, `regiomonitor_bench350`): the reference data,
   for 350 regions 315 synthetic regions (copies of the real ones' shapes), the demo data for
   every region, and two years of weekly history per region (meetings, signals, instrument use,
   quarterly updates, route step edits in the audit history); kept for the next run;
2. starts gunicorn (DEBUG off; 3 workers x 4 threads as in the Dockerfile, or BENCH_GUNICORN=WxT)
   on that database;
3. lets 1, 10, 20 and 50 concurrent clients (BENCH_CLIENTS) use the dashboard, a region page (as
   its adviser; its sections are kept rendered per process, see monitoring/fragments.py), the
   same page right after each client saved a route step (only the page view is timed; the
   changed section is rendered anew), the inline save of a route step (each client its own step,
   htmx POST with CSRF), the results page and the API's list endpoints (with a personal token:
   regions, a region's progress updates, route steps and meetings, deployments, products and
   reports, one at random per request) and the search page (an adviser's everyday questions,
   one at random), each client waiting a think time of 0.5-1.5 s
   between requests; locust makes this load (scripts/bench_locust.py, in its own process);
4. starts a real pdf worker (concurrency 1, one pool process per render as in production) and
   measures the quarterly report and a dossier export: wall time from enqueueing to the finished
   file, and the pool process's peak RSS; at 35 regions it then renders the report BENCH_RENDERS
   times in a row (default 200) and reports how the worker's RSS grew.
Each variant runs in its own process; at the end one table shows every figure with its target
and ratio, and one shows how each figure grows from 35 to 350 regions.
"""

import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8002"))
DURATION = float(os.environ.get("BENCH_SECONDS", "20"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
CLIENTS = [int(n) for n in os.environ.get("BENCH_CLIENTS", "1,10,20,50").split(",")]
VARIANTS = [int(n) for n in os.environ.get("BENCH_VARIANTS", "35,350").split(",")]
# "pages" (latency table), "jobs" (report, export, RSS over RENDERS renders) and/or "imports"
# (a 5,000-row spreadsheet checked and written by a real worker)
PARTS = os.environ.get("BENCH_PARTS", "pages,jobs,imports").split(",")
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "5000"))
MAX_TASKS_PER_CHILD = os.environ.get(
    "BENCH_MAX_TASKS_PER_CHILD", "1"
)  # as the pdf worker in docker-compose.yml and scripts/demo.sh
BENCH_QUEUE = "bench-pdf"
IMPORT_QUEUE = "bench-import"
BASE_DB = os.environ.get(
    "DATABASE_URL",
    "postgres://regiomonitor:regiomonitor@127.0.0.1:"
    f"{os.environ.get('REGIOMONITOR_PG_PORT', '55432')}/regiomonitor",
)
# gunicorn as in the Dockerfile: workers and threads per worker
WORKERS, THREADS = os.environ.get("BENCH_GUNICORN", "3x4").split("x")
TARGET_CLIENTS = 20  # the issue states its page targets at 20 concurrent clients
# (label, p95 target in ms or None)
PAGES = [
    ("dashboard", 150),
    ("region page", 80),
    ("region page after a save", 80),
    ("inline save", 80),
    ("results page", 150),
    # The API's list endpoints with a personal token (scripts/bench_locust.py: ApiLists).
    ("API list endpoints", 300),
    # The search page over the bench data (scripts/bench_locust.py: Search).
    ("search", 100),
]


def database_name(regions: int) -> str:
    return "regiomonitor_bench" if regions == 35 else f"regiomonitor_bench{regions}"


def database_url(regions: int) -> str:
    return BASE_DB.rsplit("/", 1)[0] + "/" + database_name(regions)


def prepare(regions: int) -> None:
    """Create and fill the variant's database (idempotent), then set Django up on it."""
    import psycopg

    url = urllib.parse.urlsplit(BASE_DB)
    name = database_name(regions)
    with psycopg.connect(BASE_DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{url.username}"')
    os.environ["DATABASE_URL"] = database_url(regions)
    os.environ["DEBUG"] = "false"
    os.environ["PDF_QUEUE"] = BENCH_QUEUE
    # The import's task is sent by this process (imports/services.py) to the bench worker.
    os.environ["IMPORT_QUEUE"] = IMPORT_QUEUE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    add_synthetic_regions(regions)
    print(f"[{regions}] loading the demo data (first run: minutes)...", flush=True)
    call_command("load_demo_data", verbosity=0)
    add_history()
    read_document_texts()


def read_document_texts() -> None:
    """The demo documents' text for search, read here (the bench runs no default worker)."""
    from core.files import TextState
    from core.textextract import read_text, stored_file_models

    for model in stored_file_models():
        for pk in model.objects.filter(text_state=TextState.PENDING).values_list("pk", flat=True):
            read_text(model, pk)


def add_synthetic_regions(total: int) -> None:
    """Regions beyond the real 35: copies of the real ones' shape and size, codes S001..."""
    from regions.models import Region

    real = list(Region.objects.filter(code__startswith="AM").order_by("code"))
    have = Region.objects.filter(code__startswith="S").count()
    Region.objects.bulk_create(
        Region(
            code=f"S{number:03d}",
            name=f"Synthetische regio {number:03d}",
            population=real[number % len(real)].population,
            svg_path=real[number % len(real)].svg_path,
            bbox=real[number % len(real)].bbox,
        )
        for number in range(have + 1, total - len(real) + 1)
    )


def add_history() -> None:
    """Two years of weekly activity per region; skipped when already there."""
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


def bench_steps(clients: int) -> tuple[str, str, list[tuple[int, str, int]]]:
    """The region page's region and its adviser, and one route step per client for the inline
    save (in the adviser's other regions, so the measured page keeps its usual size)."""
    from monitoring.models import RouteStep
    from regions.models import Region

    region = Region.objects.select_related("adviser").get(code="AM21")
    others = list(
        Region.objects.filter(adviser=region.adviser).exclude(pk=region.pk).order_by("code")
    )
    steps = []
    for index in range(clients):
        step, _ = RouteStep.objects.get_or_create(
            region=others[index % len(others)],
            title=f"Benchstap {index}",
            defaults={
                "order": 90,
                "parties": "Gemeenten en SOB",
                "planned_date": date(2026, 11, 30),
            },
        )
        steps.append((step.pk, step.region.code, step.version))
    return region.code, region.adviser.username, steps


def demo_totp_key() -> str:
    """The demo's authenticator key, with which the benchmark's programme manager passes the
    second factor (scripts/bench_locust.py)."""
    from demo.data import DEMO_TOTP_KEY

    return DEMO_TOTP_KEY


def api_token() -> str:
    """A personal API token of the programme manager for the API's row (the previous run's is
    revoked: each run makes its own, shown only here)."""
    from accounts.models import User
    from api.models import ApiToken
    from api.tokens import issue_token, revoke_token

    manager = User.objects.get(username="pieter")
    for old in ApiToken.objects.active().filter(user=manager, name="benchmark"):
        revoke_token(token=old)
    return issue_token(user=manager, name="benchmark")[1]


def page_benchmark(regions: int) -> list[dict]:
    """gunicorn on the variant's database; the load comes from scripts/bench_locust.py. The
    API's rate limit is raised for it: 20 clients share one token, and the row measures the
    serving (the limiter's count in Redis is still made on every request), not the limit."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(regions),
        "DEBUG": "false",
        "API_RATE_USER": "1000000/min",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # a route step per client, and at least one per warm-up connection (16)
        region, adviser, steps = bench_steps(max(*CLIENTS, 16))
        scenarios = [label for label, _ in PAGES if label in os.environ.get("BENCH_PAGES", label)]
        with tempfile.TemporaryDirectory() as folder:
            config, out = Path(folder) / "config.json", Path(folder) / "rows.json"
            config.write_text(
                json.dumps(
                    {
                        "host": f"http://127.0.0.1:{PORT}",
                        "regions": regions,
                        "region": region,
                        "adviser": adviser,
                        "steps": steps,
                        "api_token": api_token(),
                        "totp_key": demo_totp_key(),
                        "scenarios": scenarios,
                        "clients": CLIENTS,
                        "seconds": DURATION,
                    }
                )
            )
            subprocess.run(
                [sys.executable, str(ROOT / "scripts" / "bench_locust.py"), str(out)],
                env={**os.environ, "BENCH_LOCUST_CONFIG": str(config)},
                check=True,
            )
            rows = json.loads(out.read_text())
    finally:
        server.terminate()
        server.wait(timeout=30)
    targets = dict(PAGES)
    return [
        {"part": "page", "regions": regions, **row, "target": targets[row["label"]]} for row in rows
    ]


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process in KiB, from /proc; empty once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


class Sampler(threading.Thread):
    """Samples the worker's main process and its pool processes every 20 ms. A window (one
    render) reports the peak RSS of the pool process(es) that ran in it and the main process's
    RSS at its end."""

    def __init__(self, main_pid: int):
        super().__init__(daemon=True)
        self.main_pid = main_pid
        self.peaks: dict[int, int] = {}
        self.window: set[int] = set()
        self.previous: set[int] = set()
        self.lock = threading.Lock()
        self.running = True

    def children(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.main_pid)], capture_output=True, text=True
        ).stdout
        return [int(x) for x in out.split()]

    def run(self) -> None:
        while self.running:
            for pid in self.children():
                peak = _status(pid).get("VmHWM", 0)
                with self.lock:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)
                    self.window.add(pid)
            time.sleep(0.02)

    def open_window(self) -> None:
        with self.lock:
            self.window = set(self.children())

    def close_window(self) -> tuple[int, int]:
        """(peak KiB of the pool processes in this window, main process RSS KiB). A pool process
        of the previous job may still be exiting when the window opens: it is not counted when
        another process did this job (one process per job); a process serving several jobs in a
        row (`--max-tasks-per-child` > 1) is counted with the peak it has reached so far."""
        time.sleep(0.05)
        with self.lock:
            pids = self.window - self.previous if self.window - self.previous else self.window
            peak = max((self.peaks.get(pid, 0) for pid in pids), default=0)
            self.previous = set(self.window)
        return peak, _status(self.main_pid).get("VmRSS", 0)


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


def render_benchmark(regions: int) -> list[dict]:
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
    node = f"bench-pdf-{os.getpid()}@localhost"
    (ROOT / ".local").mkdir(exist_ok=True)
    log = (ROOT / ".local" / "bench-worker.log").open("ab")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", BENCH_QUEUE,
            "-n", node, "--concurrency", "1", "--max-tasks-per-child", MAX_TASKS_PER_CHILD,
            "--without-gossip", "--without-mingle", "-l", "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(regions), "PDF_QUEUE": BENCH_QUEUE},
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    sampler = Sampler(worker.pid)
    rows = []

    def row(label, seconds, rss, target=None, rss_target=None, unit="s") -> dict:
        return {
            "part": "job", "regions": regions, "label": label, "value": seconds,
            "unit": unit, "rss": rss, "target": target, "rss_target": rss_target,
        }  # fmt: skip

    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node]):
            if time.monotonic() > deadline:
                raise SystemExit("The benchmark worker did not start.")
        sampler.start()
        pm = User.objects.get(username="pieter")
        snapshot = Snapshot.objects.filter(year=2026, quarter=3).first() or freeze_quarter(
            year=2026, quarter=3, by=pm
        )
        report, _ = Report.objects.get_or_create(snapshot=snapshot)
        in_snapshot = len(snapshot.data["regions"])

        def render_once() -> tuple[float, int, int]:
            Report.objects.filter(pk=report.pk).update(state=JobState.QUEUED, attempts=0)
            sampler.open_window()
            enqueue(report)
            seconds = _wait_done(Report, report.pk)
            return (seconds, *sampler.close_window())

        first, first_peak, _main = render_once()  # a cold worker: imports, fonts
        runs = [render_once() for _ in range(3)]
        pages = subprocess.run(
            [
                "pdfinfo",
                str(Path(settings.MEDIA_ROOT) / Report.objects.get(pk=report.pk).file.name),
            ],
            capture_output=True,
            text=True,
        ).stdout
        page_count = re.search(r"Pages:\s+(\d+)", pages).group(1)
        target, rss_target = (8.0, 300) if regions == 35 else (None, None)
        rows.append(
            row(f"quarterly report, first ({in_snapshot} regions)", first, first_peak / 1024)
        )
        rows.append(
            row(
                f"quarterly report ({page_count} pages, median of 3)",
                statistics.median(r[0] for r in runs),
                max(r[1] for r in runs) / 1024,
                target,
                rss_target,
            )
        )
        region = max(
            Region.objects.filter(code__startswith="AM"),
            key=lambda r: r.meetings.count() + r.documents.count(),
        )
        exports = []
        for _ in range(3):
            export = DossierExport.objects.create(region=region, requested_by=pm)
            sampler.open_window()
            enqueue(export)
            exports.append((_wait_done(DossierExport, export.pk), sampler.close_window()[0]))
        rows.append(
            row(
                f"dossier export ({region.name}, median of 3)",
                statistics.median(e[0] for e in exports),
                max(e[1] for e in exports) / 1024,
                3.0 if regions == 35 else None,
            )
        )
        if RENDERS and regions == 35:
            print(f"[{regions}] rendering the quarterly report {RENDERS} times...", flush=True)
            series = [render_once() for _ in range(RENDERS)]
            peaks = [peak for _s, peak, _m in series]
            mains = [main for _s, _p, main in series]
            (ROOT / ".local" / "bench-rss.csv").write_text(
                "render,seconds,pool_peak_kib,main_rss_kib\n"
                + "".join(f"{i + 1},{s:.2f},{p},{m}\n" for i, (s, p, m) in enumerate(series))
            )
            # The 10th render against the largest peak of any later render.
            growth = (max(peaks[9:]) - peaks[9]) / peaks[9] * 100
            rows.append(
                row(
                    f"pool RSS growth, render 10 → max of 10..{RENDERS}",
                    growth, max(peaks) / 1024, 10.0, 300, unit="%",
                )
            )  # fmt: skip
            growth = (max(mains[9:]) - mains[9]) / mains[9] * 100
            rows.append(
                row(
                    f"main process RSS growth, render 10 → max of 10..{RENDERS}",
                    growth, max(mains) / 1024, 10.0, None, unit="%",
                )
            )  # fmt: skip
    finally:
        sampler.running = False
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
    return rows


def import_benchmark(regions: int) -> list[dict]:
    """A spreadsheet of IMPORT_ROWS route steps through a real worker on its own queue: wall
    time from the upload to the preview (every row checked) and from "Bevestigen" to every row
    written, and the peak RSS of the worker's pool process. The steps are removed afterwards,
    so the next run imports the same file anew."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation
    from openpyxl import Workbook

    from config.celery import app
    from imports import services
    from imports.models import ImportRun
    from monitoring.models import RouteStep
    from regions.models import Region

    translation.activate("nl")
    queue = IMPORT_QUEUE
    with app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue, durable=True, auto_delete=False)
        conn.default_channel.queue_purge(queue)
    node = f"bench-import-{os.getpid()}@localhost"
    log = (ROOT / ".local" / "bench-worker.log").open("ab")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
            "-n", node, "--concurrency", "1", "--without-gossip", "--without-mingle",
            "-l", "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(regions), "IMPORT_QUEUE": queue},
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    sampler = Sampler(worker.pid)
    region = Region.objects.filter(adviser__isnull=False).order_by("code").first()
    book = Workbook()
    sheet = book.active
    sheet.title = "Gegevens"
    sheet.append(["Volgorde", "Stap", "Benodigde expertise", "Geplande datum", "Status"])
    for n in range(1, IMPORT_ROWS + 1):
        sheet.append([n, f"Bench-stap {n:05d}", "Governance; Financiën", "15-11-2026", "Gepland"])
    content = io.BytesIO()
    book.save(content)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node]):
            if time.monotonic() > deadline:
                raise SystemExit("The benchmark import worker did not start.")
        sampler.start()
        sampler.open_window()
        began = time.perf_counter()
        run = services.start(
            upload=SimpleUploadedFile("bench.xlsx", content.getvalue()),
            kind="processtappen",
            region=region,
            by=region.adviser,
        )
        _wait_done(ImportRun, run.pk, timeout=600)
        checked = time.perf_counter() - began
        run.refresh_from_db()
        if run.counts.get("add") != IMPORT_ROWS:
            raise SystemExit(f"the bench import did not check cleanly: {run.counts}")
        began = time.perf_counter()
        services.confirm(run)
        _wait_done(ImportRun, run.pk, timeout=600)
        written = time.perf_counter() - began
        peak, _main = sampler.close_window()
        run.refresh_from_db()
        if run.applied_at is None:
            raise SystemExit("the bench import was not written")
    finally:
        sampler.running = False
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)
        RouteStep.objects.filter(region=region, title__startswith="Bench-stap ").delete()
    rows = []
    for label, seconds, target in (
        (f"import of {IMPORT_ROWS} rows: upload to preview", checked, 60.0),
        (f"import of {IMPORT_ROWS} rows: confirm to written", written, 90.0),
    ):
        rows.append(
            {
                "part": "job", "regions": regions, "label": label, "value": seconds,
                "unit": "s", "rss": peak / 1024, "target": target, "rss_target": 300,
            }
        )  # fmt: skip
    return rows


def run_variant(regions: int, out: Path) -> None:
    print(f"[{regions}] preparing the database...", flush=True)
    prepare(regions)
    rows = []
    if "pages" in PARTS:
        rows += page_benchmark(regions)
    if "jobs" in PARTS:
        rows += render_benchmark(regions)
    if "imports" in PARTS and regions == 35:
        rows += import_benchmark(regions)
    out.write_text(json.dumps(rows))


def verdict(value, target, clients=None) -> tuple[str, str]:
    if target is None:
        return "—", ""
    ratio = value / target
    if clients is not None and clients > TARGET_CLIENTS:
        return f"{ratio:.2f}", " (beyond target load)"
    return f"{ratio:.2f}", " met" if ratio <= 1 else " MISSED"


def print_tables(rows: list[dict]) -> None:
    pages = [r for r in rows if r["part"] == "page"]
    jobs = [r for r in rows if r["part"] == "job"]
    if pages:
        print()
        print(
            f"{'page':<26}{'regions':>8}{'clients':>8}{'requests':>9}{'errors':>7}{'p50 ms':>8}"
            f"{'p95 ms':>8}{'p99 ms':>8}{'req/s':>7}{'target p95':>11}{'ratio':>7}"
        )
        for r in pages:
            ratio, met = verdict(r["p95"], r["target"], r["clients"])
            target = f"{r['target']} ms" if r["target"] else "—"
            print(
                f"{r['label']:<26}{r['regions']:>8}{r['clients']:>8}{r['requests']:>9}"
                f"{r['errors']:>7}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}"
                f"{r['rps']:>7.1f}{target:>11}{ratio:>7}{met}"
            )
        print(
            f"Each client waits 0.5-1.5 s between requests; {DURATION:.0f} s per row; "
            f"{os.cpu_count()} CPU cores; gunicorn {WORKERS} workers x {THREADS} threads; "
            f"targets are stated at {TARGET_CLIENTS} clients."
        )
    if jobs:
        print()
        print(f"{'job':<58}{'regions':>8}{'value':>10}{'RSS MB':>8}  {'target':<20}{'ratio':>6}")
        for r in jobs:
            unit = r["unit"]
            ratio, met = verdict(r["value"], r["target"])
            if r["rss_target"] and r["rss"] > r["rss_target"]:
                met = " MISSED"
            target = "—"
            if r["target"] is not None:
                target = f"≤ {r['target']:g} {unit}"
                target += f", ≤ {r['rss_target']} MB" if r["rss_target"] else ""
            print(
                f"{r['label']:<58}{r['regions']:>8}{r['value']:>9.2f}{unit[-1]}"
                f"{r['rss']:>8.0f}  {target:<20}{ratio:>6}{met}"
            )
    growth_table(pages, jobs)


def growth_table(pages, jobs) -> None:
    variants = sorted({r["regions"] for r in pages + jobs})
    if len(variants) < 2:
        return
    low, high = variants[0], variants[-1]
    print(f"\nGrowth from {low} to {high} regions")
    print(f"{'figure':<50}{low:>10}{high:>10}{'x':>7}")
    for r in pages:
        if r["regions"] != low:
            continue
        key = (r["label"], r["clients"])
        other = next(
            (o for o in pages if o["regions"] == high and (o["label"], o["clients"]) == key), None
        )
        if other:
            name = f"{r['label']} p95 ms, {r['clients']} clients"
            print(
                f"{name:<50}{r['p95']:>10.1f}{other['p95']:>10.1f}{other['p95'] / r['p95']:>7.2f}"
            )
    for kind in ("quarterly report, first", "quarterly report (", "dossier export"):
        a = next((r for r in jobs if r["regions"] == low and r["label"].startswith(kind)), None)
        b = next((r for r in jobs if r["regions"] == high and r["label"].startswith(kind)), None)
        if a and b:
            for name, x, y in ((f"{kind.rstrip(' (')} s", a["value"], b["value"]),
                               (f"{kind.rstrip(' (')} RSS MB", a["rss"], b["rss"])):  # fmt: skip
                print(f"{name:<50}{x:>10.1f}{y:>10.1f}{y / x:>7.2f}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--variant":
        run_variant(int(sys.argv[2]), Path(sys.argv[3]))
        return
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for regions in VARIANTS:
            out = Path(folder) / f"{regions}.json"
            subprocess.run(
                [sys.executable, __file__, "--variant", str(regions), str(out)], check=True
            )
            rows += json.loads(out.read_text())
    print_tables(rows)


if __name__ == "__main__":
    main()
