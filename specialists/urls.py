from django.urls import path

from specialists import views

app_name = "specialists"
urlpatterns = [
    path("inzet/", views.deployment_list, name="list"),
    path("inzet/<int:pk>/", views.deployment_detail, name="detail"),
    path("regios/<str:code>/inzet/aanvragen/", views.deployment_request, name="request"),
    path("specialisten/", views.profile_list, name="profiles"),
    path("specialisten/<int:pk>/", views.profile, name="profile"),
    path("specialisten/<int:pk>/profiel/", views.profile_edit, name="profile_edit"),
    path("specialisten/<int:pk>/beschikbaarheid/", views.availability_edit, name="availability"),
    path(
        "specialisten/<int:pk>/afwezig/nieuw/",
        views.unavailability_add,
        name="unavailability_add",
    ),
    path(
        "specialisten/<int:pk>/afwezig/<int:period>/verwijderen/",
        views.unavailability_delete,
        name="unavailability_delete",
    ),
]
