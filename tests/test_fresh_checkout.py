"""The private services of `make demo` and `make test` from a fresh clone in a folder that only
its owner may enter (mode 0700, as a home folder or `mktemp -d`), as root and as an ordinary
user, on ports of their own: they start, keep their data across a restart, and stop.

The clone is of the committed tree (git clone of this checkout).
"""

import getpass
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings

from tests.processes import free_port

ROOT = os.geteuid() == 0
ORDINARY = "nobody"  # an account every Debian machine has, with no home of its own


@pytest.fixture
def private_folder():
    folder = Path(tempfile.mkdtemp(prefix="regiomonitor-clone-"))
    assert folder.stat().st_mode & 0o777 == 0o700
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def clone(folder: Path, owner: str | None) -> Path:
    checkout = folder / "regiomonitor"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(settings.BASE_DIR), str(checkout)],
        check=True,
        capture_output=True,
    )
    if owner:
        subprocess.run(["chown", "-R", owner, str(folder)], check=True)
    return checkout


class Services:
    """scripts/services.sh of one checkout, run as `user` (None: this user)."""

    def __init__(self, checkout: Path, user: str | None, **env: str):
        self.checkout = checkout
        self.user = user
        self.pg_port, self.redis_port = free_port(), free_port()
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(checkout.parent),
            "LANG": "C.UTF-8",
            "REGIOMONITOR_PG_PORT": str(self.pg_port),
            "REGIOMONITOR_REDIS_PORT": str(self.redis_port),
            **env,
        }

    def run(self, command: str, check=True) -> subprocess.CompletedProcess:
        gid = pwd.getpwnam(self.user).pw_gid if self.user else None
        prefix = ["setpriv", f"--reuid={self.user}", f"--regid={gid}", "--init-groups"]
        result = subprocess.run(
            [*(prefix if self.user else []), "scripts/services.sh", command],
            cwd=self.checkout,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def database(self):
        return psycopg.connect(
            host="127.0.0.1",
            port=self.pg_port,
            user="regiomonitor",
            password="regiomonitor",
            dbname="regiomonitor",
            autocommit=True,
        )

    def queue(self):
        return redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=5)


def owner_of(path: Path) -> str:
    return pwd.getpwuid(path.stat().st_uid).pw_name


# Under root: as root, and as an ordinary user through setpriv. Run by an ordinary user, "this
# user" is the ordinary user.
USERS = {"as this user": None, **({"as an ordinary user": ORDINARY} if ROOT else {})}


@pytest.mark.parametrize("user", list(USERS.values()), ids=list(USERS))
def test_the_private_services_start_keep_their_data_and_stop_from_a_0700_folder(
    private_folder, user
):
    checkout = clone(private_folder, user)
    services = Services(checkout, user)
    try:
        first = services.run("start")
        assert "PostgreSQL: started" in first.stdout and "Redis: started" in first.stdout
        assert "Permission denied" not in first.stderr, first.stderr
        with services.database() as db:
            db.execute("CREATE TABLE kept (value text)")
            db.execute("INSERT INTO kept VALUES ('na de herstart')")
        services.queue().rpush("pdf", "bericht")

        services.run("stop")
        assert "PostgreSQL: stopped" in services.run("status").stdout
        services.run("start")
        with services.database() as db:
            assert db.execute("SELECT value FROM kept").fetchall() == [("na de herstart",)]
        assert services.queue().lrange("pdf", 0, -1) == [b"bericht"]  # the append-only file

        location = checkout / ".local" / "postgres.location"
        if ROOT and not user:
            # postgres cannot pass through the 0700 folder: the cluster lives outside it.
            home = Path(location.read_text().strip())
            assert home.parent == Path("/var/lib/regiomonitor")
            data = home / "data"
        else:
            data = checkout / ".local" / "postgres"
            assert not location.exists()
        assert (data / "PG_VERSION").exists()
        assert data.stat().st_mode & 0o777 == 0o700  # private to the one who runs it
        assert owner_of(data) == ("postgres" if ROOT and not user else user or getpass.getuser())
    finally:
        services.run("destroy", check=False)
    assert "PostgreSQL: stopped" in services.run("status").stdout
    if ROOT and not user:
        assert not home.exists()
    assert not data.exists()


def test_a_folder_the_server_cannot_use_is_refused_in_one_line_that_says_what_to_do(
    private_folder,
):
    """Under root: a folder the postgres user cannot reach. As an ordinary user: a folder it
    cannot create."""
    checkout = clone(private_folder, None)
    if ROOT:
        unreachable = private_folder / "elsewhere"
        expected = (
            f"User postgres cannot reach {unreachable}/data: set REGIOMONITOR_PG_HOME to a "
            "folder it may enter, or set DATABASE_URL."
        )
    else:
        locked = private_folder / "locked"
        locked.mkdir(mode=0o500)
        unreachable = locked / "pg"
        expected = (
            f"Cannot create {unreachable} for the private PostgreSQL: set REGIOMONITOR_PG_HOME "
            f"to a folder user {getpass.getuser()} may use, or set DATABASE_URL."
        )
    services = Services(checkout, None, REGIOMONITOR_PG_HOME=str(unreachable))
    result = services.run("start", check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [expected]


def test_a_second_checkout_on_the_same_ports_is_refused_and_leaves_the_first_alone(
    private_folder,
):
    """Each checkout's data is its own: a second one never uses, nor stops, the first one's."""
    first = Services(clone(private_folder / "first", None), None)
    second = Services(clone(private_folder / "second", None), None)
    second.pg_port, second.redis_port = first.pg_port, first.redis_port
    second.env |= {k: v for k, v in first.env.items() if k.startswith("REGIOMONITOR_")}
    try:
        first.run("start")
        refused = second.run("start", check=False)
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines() == [
            f"Port {first.pg_port} is taken by another PostgreSQL: stop it, or choose free "
            "ports with REGIOMONITOR_PG_PORT and REGIOMONITOR_REDIS_PORT, or set DATABASE_URL."
        ]
        assert second.run("status").stdout.split("\n")[:2] == [
            "PostgreSQL: stopped",
            "Redis: stopped",
        ]
        second.run("stop")  # stops nothing of the first's
        assert first.run("status").stdout.split("\n")[:2] == [
            "PostgreSQL: running",
            "Redis: running",
        ]
    finally:
        first.run("destroy", check=False)
        second.run("destroy", check=False)
