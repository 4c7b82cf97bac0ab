from django.contrib import admin
from django.urls import include, path

from accounts import oidc
from accounts import views as account_views

urlpatterns = [
    path("", include("core.urls")),
    path("", include("workspace.urls")),
    path("", include("monitoring.urls")),
    path("", include("dashboard.urls")),
    path("", include("specialists.urls")),
    path("", include("innovation.urls")),
    path("", include("reporting.urls")),
    path("", include("notifications.urls")),
    path("", include("imports.urls")),
    path("", include("search.urls")),
    path("", include("discussion.urls")),
    path("", include("api.profile_urls")),
    path("", include("accounts.urls")),
    path("api/v1/", include("api.urls")),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.log_out, name="logout"),
    path("inloggen/organisatie/", oidc.StartView.as_view(), name="oidc_authentication_init"),
    path(
        "inloggen/organisatie/terug/",
        oidc.CallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

handler500 = "core.views.server_error"
