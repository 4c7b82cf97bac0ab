from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("resultaten/", views.results, name="results"),
    path("landelijk/", views.national, name="national"),
    path("dashboard/export.csv", views.export_csv, name="export_csv"),
    path("dashboard/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
