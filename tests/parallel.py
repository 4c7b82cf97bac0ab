"""Loaded before Django's settings (``-p tests.parallel`` in pyproject.toml), in every process
pytest-xdist starts: each test process gets a PDF, a mail, an import and a text queue of its own.

The Celery workers a test starts consume the queue named in ``PDF_QUEUE`` and write to that test
process's database (``test_…_gw0``, ``test_…_gw1``). With one queue shared, a worker started by
one process could take the job another process queued and look for it in the wrong database.
"""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["PDF_QUEUE"] = f"{os.environ.get('PDF_QUEUE', 'pdf')}-{_worker}"
    os.environ["MAIL_QUEUE"] = f"{os.environ.get('MAIL_QUEUE', 'mail-test')}-{_worker}"
    os.environ["IMPORT_QUEUE"] = f"{os.environ.get('IMPORT_QUEUE', 'import-test')}-{_worker}"
    os.environ["TEXT_QUEUE"] = f"{os.environ.get('TEXT_QUEUE', 'text-test')}-{_worker}"
