"""Real server processes for the fault tests: gunicorn serving the test database, a private Redis
and a private PostgreSQL that a test may stop and start, and a small HTTP client that logs in
like a browser (session and CSRF cookies)."""

import atexit
import contextlib
import glob
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.db import connection

from tests import totp
from tests.factories import PASSWORD
from tests.workers import wait_for

STARTED: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a process started here and everything in its process group."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        process = subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    STARTED.append(process)
    return process


def app_env(tmp_path: Path, **overrides: str) -> dict:
    """The environment of the app's processes: the test database, DEBUG off, own media."""
    env = os.environ.copy()
    env |= {
        "DATABASE_URL": test_database_url(),
        "DEBUG": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DB_CONN_MAX_AGE": "60",  # persistent connections, as in production
    }
    env |= overrides
    return env


class Server:
    """gunicorn serving the app (2 workers x 2 threads, as a small production set-up)."""

    def __init__(self, tmp_path: Path, env: dict):
        self.port = free_port()
        self.log = tmp_path / "gunicorn.log"
        self.process = _spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--timeout",
                "60",
            ],
            env,
            self.log,
        )
        wait_for(self._live, 60, "gunicorn to answer")

    def _live(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/gezondheid/live/")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def workers(self) -> set[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return {int(pid) for pid in out.split()}

    def stop(self) -> None:
        stop(self.process)


class Browser:
    """Requests with the cookies of one logged-in user and the CSRF token a page would send."""

    def __init__(self, server: Server, username: str):
        self.port = server.port
        self.cookies: dict[str, str] = {}
        self.request("GET", "/inloggen/")
        response = self.request("POST", "/inloggen/", {"username": username, "password": PASSWORD})
        assert response.status == 302, f"log-in failed for {username}: {response.status}"
        self._pass_second_factor(username)

    # The app each user set up on a server, as a phone keeps it: (port, username) -> key, and
    # the last 30-second step whose code was typed (a code is taken once).
    apps: ClassVar[dict[tuple[int, str], list]] = {}

    def _pass_second_factor(self, username: str) -> None:
        """Programme management and the hub pass the second factor as their app would: set it up
        from the key the page shows, or type the code of the app set up before. The server may
        run on a database of its own, so the key is the one read off its page."""
        where = self.get("/").getheader("Location") or ""
        app = Browser.apps.get((self.port, username))
        if where.startswith("/tweede-factor/instellen/"):
            secret = totp.secret_shown(self.get("/tweede-factor/instellen/").text)
            step = totp.current_step()
            done = self.post("/tweede-factor/instellen/", {"code": totp.code_at(secret, step)})
            assert done.status == 200, f"setting up the app failed for {username}"
            Browser.apps[(self.port, username)] = [secret, step]
        elif where.startswith("/tweede-factor/"):
            assert app, f"{username} has an app this test did not set up"
            secret, last = app
            step = max(totp.current_step(), last + 1)
            while step > totp.current_step() + 1:
                time.sleep(1)
            done = self.post("/tweede-factor/", {"code": totp.code_at(secret, step)})
            assert done.status == 302, f"the second factor failed for {username}"
            app[1] = step

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        head |= headers or {}
        body = None
        if method == "POST":
            form = dict(data or {})
            form.setdefault("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))
            body = urllib.parse.urlencode(form, doseq=True)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, head)
        response = conn.getresponse()
        response.text = response.read().decode(errors="replace")
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.request("POST", path, data, **kwargs)


class Redis:
    """A private redis-server on its own port, which a test may stop, kill and start again. It
    keeps an append-only file as the private and compose Redis do, synced on every write so a
    kill right after a write loses nothing."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path / "redis"
        self.dir.mkdir()
        self.process = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self, *, empty: bool = False) -> None:
        """Start again; `empty` first deletes its data, as after a lost disk."""
        if empty:
            shutil.rmtree(self.dir / "appendonlydir", ignore_errors=True)
        self.process = _spawn(
            [
                "redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.dir), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always",
            ],
            os.environ.copy(),
            self.dir / "redis.log",
        )  # fmt: skip
        wait_for(self.ping, 20, "redis-server to start")

    def stop(self) -> None:
        stop(self.process)
        wait_for(lambda: not self.ping(), 10, "redis-server to stop")

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing written on the way out."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        wait_for(lambda: not self.ping(), 10, "redis-server to die")


def _pg_bin(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    assert candidates, f"{tool} not found; run scripts/install-system-deps.sh"
    return candidates[-1]


class Postgres:
    """A private PostgreSQL cluster holding a copy of the test database; stop() and start()
    restart it under a running app. PostgreSQL refuses to run as root: then it runs as the
    `postgres` system user (created by scripts/services.sh)."""

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="regiomonitor-pg-"))
        self.root.chmod(0o755)
        self.data = self.root / "data"
        self.data.mkdir(mode=0o700)
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.root, "postgres")
        self._run(
            _pg_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "regiomonitor",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self._run(
            _pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "regiomonitor",
            "app",
        )
        self.copy_test_database()

    @property
    def url(self) -> str:
        return f"postgres://regiomonitor@127.0.0.1:{self.port}/app"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.root)

    def copy_test_database(self) -> None:
        """pg_dump of the (committed) test database, restored into the private cluster."""
        db = connection.settings_dict
        dump = subprocess.run(
            [
                _pg_bin("pg_dump"),
                "--format=custom",
                "-h",
                db["HOST"],
                "-p",
                str(db["PORT"]),
                "-U",
                db["USER"],
                db["NAME"],
            ],
            env={**os.environ, "PGPASSWORD": db["PASSWORD"]},
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [_pg_bin("pg_restore"), "--no-owner", "--exit-on-error", "-d", self.url],
            input=dump,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "start",
            "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def body_text(html: str) -> str:
    """The visible text of a page, whitespace collapsed (for asserting on messages)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@atexit.register
def _stop_leftovers():
    """A test that failed in between must not leave servers running."""
    for process in STARTED:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
