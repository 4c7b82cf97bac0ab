"""Page-level access: which roles may open a page at all.

Object-level checks live next to their object type (regions/access.py and friends). A page that
is not meant for a role answers 403: the page's existence is no secret, its content is.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.models import Role

__all__ = ["require_roles"]


def require_roles(*roles: Role) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
