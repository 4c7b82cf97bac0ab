"""Loaded before Django's settings (``-p tests.parallel`` in pyproject.toml), in every process
pytest-xdist starts: each test process gets a PDF, a mail, an import and a text queue of its own,
and a Redis database of its own.

The Celery workers a test starts consume the queue named in ``PDF_QUEUE`` and write to that test
process's database (``test_…_gw0``, ``test_…_gw1``). With one queue shared, a worker started by
one process could take the job another process queued and look for it in the wrong database.

The broker keeps the messages a worker has taken but not acknowledged in one hash per Redis
database. A test empties it before it starts a worker (tests/workers.py), so that a message of an
earlier test's killed worker is not given back into its run; with one database shared, that
would also throw away the message another process's killed worker left, which its test waits for.
"""

import os
from urllib.parse import urlsplit, urlunsplit

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["PDF_QUEUE"] = f"{os.environ.get('PDF_QUEUE', 'pdf')}-{_worker}"
    os.environ["MAIL_QUEUE"] = f"{os.environ.get('MAIL_QUEUE', 'mail-test')}-{_worker}"
    os.environ["IMPORT_QUEUE"] = f"{os.environ.get('IMPORT_QUEUE', 'import-test')}-{_worker}"
    os.environ["TEXT_QUEUE"] = f"{os.environ.get('TEXT_QUEUE', 'text-test')}-{_worker}"
    _url = urlsplit(
        os.environ.get("REDIS_URL")
        or f"redis://127.0.0.1:{os.environ.get('REGIOMONITOR_REDIS_PORT', '56379')}/0"
    )
    # gw0 keeps the configured database, gw1 the next one, and so on (Redis has 16: 0-15).
    _db = int(_url.path.strip("/") or 0) + int(_worker.removeprefix("gw"))
    assert _db < 16, f"no Redis database {_db} for test process {_worker}"
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))
