from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("meldingen/", views.notification_list, name="list"),
    path("meldingen/<int:pk>/", views.notification_open, name="open"),
    path("meldingen/gelezen/", views.notifications_read, name="read"),
    path("meldingen/voorkeuren/", views.preferences, name="preferences"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("partnercontacten/", views.partner_contacts, name="contacts"),
    path("partnercontacten/<int:pk>/", views.partner_contact_change, name="contact_change"),
    path("agenda/", views.calendar_page, name="calendar"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="feed"),
]
