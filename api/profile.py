"""Mijn profiel: the user's API tokens (made, shown once, revoked) and links to their calendar
address and notification choices. Every role has one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.tokens import issue_token, revoke_token
from core.params import posted


@never_cache
@login_required
def index(request):
    """The token list and the form for a new one. The new token's plaintext is in this one
    response only (never_cache: no copy in a cache either)."""
    form = TokenForm(posted(request))
    plaintext = None
    if request.method == "POST" and form.is_valid():
        _token, plaintext = issue_token(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/profile.html",
        {"form": form, "tokens": tokens, "plaintext": plaintext},
    )


@require_POST
@login_required
def revoke(request, pk: int):
    """End one of the user's own tokens at once (someone else's is a 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        revoke_token(token=token)
        messages.success(
            request,
            _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
        )
    else:
        messages.info(
            request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
        )
    return redirect("profile:index")
