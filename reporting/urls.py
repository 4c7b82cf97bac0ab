from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("rapportages/", views.index, name="index"),
    path("rapportages/vergelijken/", views.compare, name="compare"),
    path("rapportages/<int:year>/q<int:quarter>/", views.snapshot_detail, name="snapshot"),
    path("rapportages/<int:year>/q<int:quarter>/status/", views.report_status, name="status"),
    path("rapportages/<int:year>/q<int:quarter>/maken/", views.report_render, name="render"),
    path("rapportages/<int:year>/q<int:quarter>/goedkeuren/", views.report_approve, name="approve"),
    path("rapportages/<int:year>/q<int:quarter>/publiceren/", views.report_publish, name="publish"),
    path("rapportages/<int:year>/q<int:quarter>/download/", views.report_download, name="download"),
    path("rapportages/ontvangen/<str:token>/", views.contact_download, name="contact_download"),
    path("regios/<str:code>/dossier/export/", views.export_create, name="export_create"),
    path("regios/<str:code>/dossier/export/<int:pk>/", views.export_detail, name="export"),
    path(
        "regios/<str:code>/dossier/export/<int:pk>/download/",
        views.export_download,
        name="export_download",
    ),
]
