from django.urls import path

from discussion import views

app_name = "discussion"
urlpatterns = [
    path("discussie/<slug:subject>/<int:pk>/", views.thread, name="thread"),
    path("discussie/<slug:subject>/<int:pk>/personen/", views.people, name="people"),
    path(
        "discussie/<slug:subject>/<int:pk>/<int:comment>/wijzigen/",
        views.comment_edit,
        name="edit",
    ),
    path(
        "discussie/<slug:subject>/<int:pk>/<int:comment>/verwijderen/",
        views.comment_remove,
        name="remove",
    ),
]
