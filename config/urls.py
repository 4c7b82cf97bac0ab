from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import LoginForm

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
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

handler500 = "core.views.server_error"
