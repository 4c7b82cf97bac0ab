"""`Authorization: Bearer <token>` with a personal token (api.tokens); a wrong or revoked token
is 401. Token requests carry no cookie, so they need no CSRF token; requests with the session
(the documentation page's "try it out") keep DRF's CSRF check."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.tokens import token_user

__all__ = ["BearerTokenAuthentication"]


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session may still authenticate
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after “Bearer”, separated by one space.")
            )
        try:
            plaintext = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        user, token = token_user(plaintext)
        if user is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid or was revoked."))
        return user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
