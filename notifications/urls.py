from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("agenda/", views.calendar_page, name="calendar"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="feed"),
]
