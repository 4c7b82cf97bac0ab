"""The search: one query over every kind the user has (search/kinds.py), each kind's hits
limited to what the user may see, matched by its GIN-indexed vector, ranked, counted and cut
into highlighted snippets by PostgreSQL.

The overview takes the best GROUP_SIZE hits of each kind with each kind's total in one UNION ALL;
a kind's own pages take PAGE_SIZE hits at a time. Snippets are made only for the hits shown.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, F, Func, IntegerField, TextField, Value, Window
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.search import CONFIG, words
from search.kinds import SearchKind, kinds_for

__all__ = ["GROUP_SIZE", "PAGE_SIZE", "Group", "Hit", "search"]

GROUP_SIZE = 5
PAGE_SIZE = 20
# Around each highlighted word: characters PostgreSQL never has in a record's text (private
# use), replaced by <mark> once the rest of the snippet is escaped.
START, STOP = "\ue000", "\ue001"
HEADLINE = {"start_sel": START, "stop_sel": STOP}


@dataclass
class Hit:
    kind: SearchKind
    pk: int
    title: str  # safe HTML: escaped, with <mark>
    snippet: str  # safe HTML: escaped, with <mark>
    place: str
    url: str


@dataclass
class Group:
    kind: SearchKind
    total: int
    hits: list[Hit] = field(default_factory=list)


def _marked(text: str) -> str:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 (escaped first)


def _body(kind: SearchKind):
    """The fields a snippet is cut from, the empty ones left out, with " … " between."""
    parts = [NullIf(F(name), Value("")) for name in kind.body]
    if len(parts) == 1:
        return Coalesce(parts[0], Value(""), output_field=TextField())
    return Func(Value(" … "), *parts, function="CONCAT_WS", output_field=TextField())


def _hits(kind: SearchKind, user, query):
    """The user's hits of this kind, best first, with their total (a window over every hit,
    computed before the limit)."""
    rows = kind.visible(user).filter(search_vector=query)
    return (
        rows.annotate(
            hit_kind=Value(kind.key, output_field=CharField()),
            hit_title=SearchHeadline(
                kind.title, query, config=CONFIG, highlight_all=True, **HEADLINE
            ),
            hit_snippet=SearchHeadline(
                _body(kind),
                query,
                config=CONFIG,
                max_fragments=2,
                max_words=18,
                min_words=6,
                fragment_delimiter=" … ",
                **HEADLINE,
            )
            if kind.body
            else Value("", output_field=TextField()),
            hit_ref=Coalesce(kind.ref, Value(""), output_field=CharField()),
            hit_place=Coalesce(kind.place, Value(""), output_field=CharField()),
            hit_rank=SearchRank(F("search_vector"), query),
            hit_total=Window(Count("pk"), output_field=IntegerField()),
        )
        .order_by("-hit_rank", "pk")
        .values_list(
            "hit_kind",
            "pk",
            "hit_title",
            "hit_snippet",
            "hit_ref",
            "hit_place",
            "hit_rank",
            "hit_total",
        )
    )


def _hit(kind: SearchKind, row) -> Hit:
    _key, pk, title, snippet, ref, place, _rank, _total = row
    return Hit(
        kind=kind,
        pk=pk,
        title=_marked(title or ""),
        snippet=_marked(snippet or ""),
        place=place,
        url=kind.url(ref, pk),
    )


# The SQL of a search, per user, language and page, with the words as a parameter: Django
# takes longer to build and compile the fourteen-part query than PostgreSQL takes to answer it.
# What a user may see is decided by their role and who they are, not by the data, so the SQL
# stays right while records change.
SQL_CACHE_SIZE = 1024
_sql_cache: OrderedDict = OrderedDict()
_sql_lock = threading.Lock()
# Stands for the user's words while the SQL is built (a text no one types).
_WORDS = "\ue002words\ue002"


def _sql(user, kinds: list[SearchKind], kind_key: str, page: int) -> tuple[str, list]:
    key = (user.pk, user.role, get_language(), kind_key, page)
    with _sql_lock:
        if key in _sql_cache:
            _sql_cache.move_to_end(key)
            return _sql_cache[key]
    query = words(_WORDS)
    if kind_key:
        start = (page - 1) * PAGE_SIZE
        parts = [_hits(kinds[0], user, query)[start : start + PAGE_SIZE]]
    else:
        parts = [_hits(kind, user, query)[:GROUP_SIZE] for kind in kinds]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    try:
        sql, params = combined.query.sql_with_params()
    except EmptyResultSet:  # nothing this user may see
        sql, params = "", ()
    with _sql_lock:
        _sql_cache[key] = (sql, list(params))
        while len(_sql_cache) > SQL_CACHE_SIZE:
            _sql_cache.popitem(last=False)
    return sql, list(params)


def search(user, text: str, *, kind_key: str = "", page: int = 1) -> list[Group]:
    """The groups of hits for `text`: every kind the user has (GROUP_SIZE hits each), or one
    kind's `page` (PAGE_SIZE hits). Kinds without a hit are left out. One query."""
    kinds = [k for k in kinds_for(user) if not kind_key or k.key == kind_key]
    if not kinds or not text.strip():
        return []
    sql, params = _sql(user, kinds, kind_key, page)
    if not sql:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, [text if value == _WORDS else value for value in params])
        rows = cursor.fetchall()
    # A union keeps no order of its own: best first within each kind, as each part chose.
    rows.sort(key=lambda row: (-row[6], row[1]))
    by_key = {kind.key: kind for kind in kinds}
    groups: dict[str, Group] = {}
    for row in rows:
        kind = by_key[row[0]]
        group = groups.setdefault(kind.key, Group(kind=kind, total=row[-1]))
        group.hits.append(_hit(kind, row))
    return [groups[kind.key] for kind in kinds if kind.key in groups]
