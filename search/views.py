"""The search page (/zoeken/): the header's search field sends the user's words here."""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import require_roles
from core.params import int_or_none
from core.search import MAX_QUERY_LENGTH
from search.kinds import SEARCH_ROLES, kinds_for
from search.queries import PAGE_SIZE, search


class _Counted:
    """One page of a kind's hits, seen by the Paginator as the whole list of `total` hits: the
    query fetched only this page and counted the rest."""

    def __init__(self, hits, total):
        self.hits, self.total = hits, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, index):
        return self.hits


@require_roles(*SEARCH_ROLES)
@require_GET
def results(request):
    text = request.GET.get("q", "").strip()
    kinds = {kind.key: kind for kind in kinds_for(request.user)}
    kind = kinds.get(request.GET.get("soort", ""))
    page_number = max(int_or_none(request.GET.get("pagina")) or 1, 1)
    error = ""
    if len(text) > MAX_QUERY_LENGTH:
        error = _(
            "Search with at most %(limit)d characters; you typed %(count)d. Nothing was searched."
        ) % {"limit": MAX_QUERY_LENGTH, "count": len(text)}
    groups = (
        search(request.user, text, kind_key=kind.key if kind else "", page=page_number)
        if text and not error
        else []
    )
    page = None
    if kind:
        group = groups[0] if groups else None
        counted = _Counted(group.hits if group else [], group.total if group else 0)
        page = Paginator(counted, PAGE_SIZE).get_page(page_number if group else 1)
    return render(
        request,
        "search/results.html",
        {
            "search_text": text,
            "error": error,
            "groups": groups,
            "kind": kind,
            "page": page,
            "page_query": _query(text, kind),
            "limit": MAX_QUERY_LENGTH,
        },
    )


def _query(text: str, kind) -> str:
    query = QueryDict(mutable=True)
    query["q"] = text
    if kind:
        query["soort"] = kind.key
    return query.urlencode()
