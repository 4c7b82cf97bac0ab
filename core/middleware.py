from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show English
    screens to Dutch civil servants with an English browser. Here only the explicit choice
    (the language cookie set by the switch) counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class HtmxSessionExpiredMiddleware:
    """An htmx request from a page whose session has ended answers 401 instead of the log-in
    redirect, which htmx would follow and swap into the form, losing what was typed there. The
    page then says so (static/js/inline-edit.js) and keeps the form as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before the view runs: a log-out sends an htmx request to the log-in page too.
        without_session = not request.user.is_authenticated
        response = self.get_response(request)
        if (
            without_session
            and getattr(request, "htmx", False)
            and response.status_code == 302
            and response.url.startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponse(status=401)
        return response
