"""Messages Django REST framework translates otherwise than Django. An installed app's catalogue
comes before Django's own, so without these our pages (the forms' "This field is required.", the
admin's "Search") would take DRF's wording; the project's catalogue (LOCALE_PATHS, first of all)
keeps Django's. The API's own refusals are here too: DRF's Dutch says "je" where our pages say
"u", and calls a rate limit "verstikt". Only for makemessages: nothing imports this module."""

from django.utils.translation import gettext_noop

OVERRIDES = [
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop("Search"),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop("Value must be valid JSON."),
    # the API's refusals (rest_framework.exceptions)
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Malformed request."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
]
