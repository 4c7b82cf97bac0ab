"""Full-text search, for every app: the text search configuration, a record's search vector
and the query a user's words become.

PostgreSQL does the work. `dutch_unaccent` (core/migrations/0002_search_configuration.py) is
the Dutch configuration with accents removed first, so "bijeenkomsten" finds "bijeenkomst" and
"financien" finds "financiën". A searchable model keeps its vector in a stored generated column
(`search_field`), which PostgreSQL recomputes on every write, also by `QuerySet.update()` and
by a trigger, so it is never out of date; a GIN index on it answers the match.
"""

from functools import reduce
from operator import add

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models

__all__ = ["CONFIG", "MAX_QUERY_LENGTH", "UNTRACKED", "search_field", "search_index", "words"]

CONFIG = "dutch_unaccent"
# Longer than any question a person types; a longer one is refused with a message.
MAX_QUERY_LENGTH = 200
# Fields the audit history leaves out: the search vector follows from the record's other fields,
# and a document's extracted text from its file (core/textextract.py).
UNTRACKED = ("search_vector", "text", "text_state")


def search_field(*weighted: tuple[str, str]) -> models.GeneratedField:
    """The record's search vector from its text fields, each with its weight ("A" for the
    title, "B" for the body, "C" for what is only worth finding)."""
    vectors = [SearchVector(name, config=CONFIG, weight=weight) for name, weight in weighted]
    return models.GeneratedField(
        expression=reduce(add, vectors),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def search_index(model_name: str) -> GinIndex:
    return GinIndex(fields=["search_vector"], name=f"{model_name}_search")


def words(text: str) -> SearchQuery:
    """What the user typed, read as a web search engine reads it: words that must all occur,
    "a phrase" in quotes, `or` between alternatives, -word to leave out. Never a syntax error."""
    return SearchQuery(text, config=CONFIG, search_type="websearch")
