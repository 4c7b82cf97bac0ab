from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("over/", views.about, name="about"),
    path("gezondheid/", views.health, name="health"),
    path("gezondheid/live/", views.liveness, name="liveness"),
]
