from django.urls import path

from workspace import views

app_name = "regions"
urlpatterns = [
    path("regios/", views.overview, name="overview"),
    path("regios/<str:code>/", views.detail, name="detail"),
    path("regios/<str:code>/geschiedenis/", views.history, name="history"),
    path("regios/<str:code>/veranderd/", views.changes, name="changes"),
    path("portefeuille/", views.portfolio, name="portfolio"),
    path("portefeuille/veranderd/", views.portfolio_changes, name="portfolio_changes"),
    path("portefeuilles/", views.portfolios, name="portfolios"),
    path("kaart/regio-vormen.svg", views.shapes, name="shapes"),
]
