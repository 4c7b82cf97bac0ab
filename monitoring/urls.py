from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path(
        "regios/<str:code>/voortgang/nieuw/",
        views.progress_update_create,
        name="progress_create",
    ),
    path("regios/<str:code>/dossier/nieuw/", views.document_upload, name="document_upload"),
    path(
        "regios/<str:code>/dossier/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    path("regios/<str:code>/<slug:key>/nieuw/", views.record_new, name="record_new"),
    path("regios/<str:code>/<slug:key>/<int:pk>/", views.record_item, name="record_item"),
    path(
        "regios/<str:code>/<slug:key>/<int:pk>/bewerken/",
        views.record_edit,
        name="record_edit",
    ),
    path(
        "regios/<str:code>/<slug:key>/<int:pk>/verwijderen/",
        views.record_delete,
        name="record_delete",
    ),
]
