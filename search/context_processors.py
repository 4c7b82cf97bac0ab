from search.kinds import SEARCH_ROLES


def search_field(request):
    """Whether the header shows the search field: for every role that has something to find."""
    user = getattr(request, "user", None)
    return {"search_field": bool(user and user.is_authenticated and user.role in SEARCH_ROLES)}
