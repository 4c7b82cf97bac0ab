from django.urls import path

from innovation import views

app_name = "innovation"
urlpatterns = [
    path("producten/", views.catalogue, name="catalogue"),
    path("producten/<int:pk>/", views.product, name="product"),
    path("producten/versies/<int:pk>/", views.version_action, name="version_action"),
    path("kwaliteitskader/", views.criteria, name="criteria"),
    path("certificering/", views.certifications, name="certifications"),
    path("innovatieagenda/", views.agenda, name="agenda"),
    path("kenniscyclus/", views.knowledge_cycle, name="cycle"),
]
