__all__ = ["int_or_none", "posted"]


def int_or_none(value) -> int | None:
    """A query-string number, or None for anything missing or garbled."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def posted(request):
    """The form data of a POST, None for other methods. Not `request.POST or None`: an empty
    POST is falsy, so the form would come back unbound, without a word about what was wrong."""
    return request.POST if request.method == "POST" else None
