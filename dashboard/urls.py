from django.urls import path

from dashboard import views, views_saved

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("resultaten/", views.results, name="results"),
    path("landelijk/", views.national, name="national"),
    path("dashboard/export.csv", views.export_csv, name="export_csv"),
    path("dashboard/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("dashboard/weergaven/", views_saved.manage, name="saved_views"),
    path("dashboard/weergaven/bewaren/", views_saved.save, name="saved_view_new"),
    path("dashboard/weergaven/<int:pk>/naam/", views_saved.rename, name="saved_view_rename"),
    path(
        "dashboard/weergaven/<int:pk>/verwijderen/",
        views_saved.delete,
        name="saved_view_delete",
    ),
]
