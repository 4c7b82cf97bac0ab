from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path(
        "regios/<str:code>/voortgang/nieuw/",
        views.progress_update_create,
        name="progress_create",
    ),
]
