from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path(
        "regios/<str:code>/voortgang/nieuw/",
        views.progress_update_create,
        name="progress_create",
    ),
    path(
        "regios/<str:code>/voortgang/<int:pk>/",
        views.progress_update_item,
        name="progress_item",
    ),
    path(
        "regios/<str:code>/voortgang/<int:pk>/wijzigen/",
        views.progress_update_edit,
        name="progress_edit",
    ),
    path(
        "regios/<str:code>/voortgang/<int:pk>/verwijderen/",
        views.progress_update_delete,
        name="progress_delete",
    ),
    path("regios/<str:code>/fase-bereikt/", views.stage_reached, name="stage_reached"),
    path("regios/<str:code>/dossier/nieuw/", views.document_upload, name="document_upload"),
    path(
        "regios/<str:code>/dossier/<int:pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "regios/<str:code>/dossier/<int:pk>/regel/",
        views.document_item,
        name="document_item",
    ),
    path(
        "regios/<str:code>/dossier/<int:pk>/wijzigen/",
        views.document_edit,
        name="document_edit",
    ),
    path(
        "regios/<str:code>/dossier/<int:pk>/vervangen/",
        views.document_replace,
        name="document_replace",
    ),
    path(
        "regios/<str:code>/dossier/<int:pk>/verwijderen/",
        views.document_delete,
        name="document_delete",
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
