from django.urls import path

from specialists import views

app_name = "specialists"
urlpatterns = [
    path("inzet/", views.deployment_list, name="list"),
    path("inzet/<int:pk>/", views.deployment_detail, name="detail"),
    path("regios/<str:code>/inzet/aanvragen/", views.deployment_request, name="request"),
]
