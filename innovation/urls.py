from django.urls import path

from innovation import views

app_name = "innovation"
urlpatterns = [
    path("producten/", views.catalogue, name="catalogue"),
    path("producten/<int:pk>/", views.product, name="product"),
    path("producten/versies/<int:pk>/", views.version_action, name="version_action"),
    path(
        "producten/versies/<int:pk>/documenten/nieuw/",
        views.document_upload,
        name="document_upload",
    ),
    path("producten/documenten/<int:pk>/", views.document_download, name="document_download"),
    path("ontwikkellijnen/", views.lines, name="lines"),
    path("ontwikkellijnen/<int:pk>/bewerken/", views.line_edit, name="line_edit"),
    path("kwaliteitskader/", views.criteria, name="criteria"),
    path("certificering/", views.certifications, name="certifications"),
    path(
        "certificering/<int:pk>/bewerken/",
        views.certification_edit,
        name="certification_edit",
    ),
    path(
        "certificering/<int:pk>/verwijderen/",
        views.certification_delete,
        name="certification_delete",
    ),
    path("innovatieagenda/", views.agenda, name="agenda"),
    path("innovatieagenda/<int:pk>/bewerken/", views.agenda_item_edit, name="agenda_item_edit"),
    path(
        "innovatieagenda/<int:pk>/verwijderen/",
        views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path("kenniscyclus/", views.knowledge_cycle, name="cycle"),
]
