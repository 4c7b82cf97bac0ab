from django.urls import path

from api import profile

app_name = "profile"
urlpatterns = [
    path("profiel/", profile.index, name="index"),
    path("profiel/sleutels/<int:pk>/intrekken/", profile.revoke, name="token_revoke"),
]
