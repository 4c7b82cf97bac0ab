from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("importeren/", views.national_import, name="national"),
    path("importeren/sjabloon/<slug:kind>.xlsx", views.national_template, name="template"),
    path("importeren/<int:pk>/", views.run_detail, name="run"),
    path("importeren/<int:pk>/bevestigen/", views.run_confirm, name="confirm"),
    path("regios/<str:code>/importeren/", views.region_import, name="region"),
    path(
        "regios/<str:code>/importeren/sjabloon/<slug:kind>.xlsx",
        views.region_template,
        name="region_template",
    ),
]
