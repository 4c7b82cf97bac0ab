"""Pages drawn from the whole programme, kept rendered until the database changes.

The national dashboard and the results page read the records of every region; at 350 regions
computing one takes far longer than a page may, yet they change only when someone saves. So their
content (never the header with the reader's name and token) is kept in Django's cache, alias
"pages", in each process, under a key made of everything it shows:

- the database's state: `pg_current_snapshot()`, which says exactly which transactions have
  committed. Any commit to any table is a new key, so a kept page is never older than the
  database it was read from, and no list of tables, signals or triggers has to be kept in step
  with the models;
- the page's name and its parameters (the filters, sort and page of the table), the language and
  today's date (ages and late steps change overnight without a commit).

A request whose own transaction has written something (inside `transaction.atomic`, or a test's
transaction) sees data no other reader sees: it renders afresh and keeps nothing. Writes are rare
beside reads, so after a save the next view of a page renders it once per process and the views
after it are served from the cache.
"""

from collections.abc import Callable

from django.core.cache import caches
from django.db import connection
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.hashing import sha256_hex

__all__ = ["CACHE_ALIAS", "database_state", "kept"]

CACHE_ALIAS = "pages"


def database_state() -> str | None:
    """The committed state every query of this request reads, or None when this request's own
    transaction has written (its view must not be kept for others)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()")
        snapshot, own_transaction = cursor.fetchone()
    return snapshot if own_transaction is None else None


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
