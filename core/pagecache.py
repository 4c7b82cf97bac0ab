"""Pages drawn from the whole programme, kept rendered until the database changes.

The national dashboard and the results page read the records of every region; at 350 regions
computing one takes far longer than a page may, yet they change only when someone saves. So their
content (never the header with the reader's name and token) is kept in Django's cache, alias
"pages", in each process, under a key made of everything it shows:

- the count of changes to the application's tables: every statement that writes one draws a
  number from the sequence `core_data_changes` (a trigger on every table of the project's apps,
  installed after each migrate: core/apps.py). Any committed change is a new key, so a kept page
  is never older than the database it was read from, and no list of tables, signals or models
  has to be kept in step. Writes to other databases of the same server do not count;
- the page's name and its parameters (the filters, sort and page of the table), the language and
  today's date (ages and late steps change overnight without a commit).

Nothing is kept while a change is on its way: a request whose own transaction has written sees
data no other reader sees, and while another transaction that wrote to this database has not yet
committed, the count may already include it although its data cannot be read. Such a view is
rendered afresh and not kept (the count is read first, then the writers are looked for in
`pg_locks`, so a change counted but not yet readable is always seen there). Writes are rare
beside reads, so after a save each process renders the page once and serves it from the cache.
"""

from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.hashing import sha256_hex

__all__ = ["CACHE_ALIAS", "database_state", "kept"]

CACHE_ALIAS = "pages"


_WRITERS = """
SELECT pg_current_xact_id_if_assigned() IS NOT NULL, EXISTS (
    SELECT 1 FROM pg_locks
    WHERE locktype = 'relation' AND mode = 'RowExclusiveLock' AND granted
      AND pid <> pg_backend_pid()
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
)
"""


def database_state() -> str | None:
    """The count of changes every query of this request reads, or None while a change is not
    yet readable by all (this request's own, or another transaction's not yet committed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM core_data_changes")
        (changes,) = cursor.fetchone()
        cursor.execute(_WRITERS)
        own_write, others_writing = cursor.fetchone()
    return None if own_write or others_writing else str(changes)


def kept(name: str, variant: tuple, render: Callable[[], str]) -> SafeString:
    """The HTML `render()` returns for page `name` with parameters `variant`, rendered once per
    database state, language and day. `render` must not show who reads (name, token, role)."""
    state = database_state()
    if state is None:
        return mark_safe(render())  # noqa: S308 (rendered by the template engine, escaped there)
    language = translation.get_language()
    key = f"page:{name}:" + sha256_hex(
        f"{state}|{language}|{timezone.localdate().isoformat()}|{variant!r}"
    )
    cache = caches[CACHE_ALIAS]
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308
