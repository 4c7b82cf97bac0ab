"""/api/v1/…: every endpoint has a row in tests/test_api_access.py (a new one without fails)."""

from django.urls import path

from api import views, views_hub, views_people, views_work
from api.serializers import KIND_PATHS

app_name = "api"
REGION = "regions/<str:code>/"

urlpatterns = [
    path("regions/", views.RegionList.as_view(), name="regions"),
    path(REGION, views.RegionDetail.as_view(), name="region"),
    path(f"{REGION}progress-updates/", views.ProgressUpdateList.as_view(), name="progress_updates"),
    path(
        f"{REGION}progress-updates/<int:pk>/",
        views.ProgressUpdateDetail.as_view(),
        name="progress_update",
    ),
    path(f"{REGION}route-steps/", views.RouteStepList.as_view(), name="route_steps"),
    path(f"{REGION}route-steps/<int:pk>/", views.RouteStepDetail.as_view(), name="route_step"),
    *(
        path(f"{REGION}{slug}/", views.RecordList.as_view(kind=kind), name=f"records_{slug}")
        for kind, slug in KIND_PATHS.items()
    ),
    path(f"{REGION}documents/", views.DocumentList.as_view(), name="documents"),
    path(
        f"{REGION}documents/<int:pk>/download/",
        views.DocumentDownload.as_view(),
        name="document_download",
    ),
    path(f"{REGION}history/", views.RegionHistory.as_view(), name="region_history"),
    path(f"{REGION}exports/", views_work.ExportList.as_view(), name="exports"),
    path(
        f"{REGION}exports/<int:pk>/download/",
        views_work.ExportDownload.as_view(),
        name="export_download",
    ),
    path("discussions/<slug:subject>/<int:pk>/", views.Discussion.as_view(), name="discussion"),
    path("portfolio/", views_people.Portfolio.as_view(), name="portfolio"),
    path("portfolios/", views_people.Portfolios.as_view(), name="portfolios"),
    path("specialists/", views_people.SpecialistList.as_view(), name="specialists"),
    path("specialists/<int:pk>/", views_people.SpecialistDetail.as_view(), name="specialist"),
    path("notifications/", views_people.NotificationList.as_view(), name="notifications"),
    path("partner-contacts/", views_people.PartnerContactList.as_view(), name="partner_contacts"),
    path("deployments/", views.DeploymentList.as_view(), name="deployments"),
    path("deployments/<int:pk>/", views.DeploymentDetail.as_view(), name="deployment"),
    path("products/", views.ProductList.as_view(), name="products"),
    path("products/<int:pk>/", views.ProductDetail.as_view(), name="product"),
    path(
        "products/documents/<int:pk>/download/",
        views.ProductDocumentDownload.as_view(),
        name="product_document_download",
    ),
    path("development-lines/", views_hub.DevelopmentLineList.as_view(), name="development_lines"),
    path("quality-criteria/", views_hub.CriterionList.as_view(), name="quality_criteria"),
    path("certifications/", views_hub.CertificationList.as_view(), name="certifications"),
    path("innovation-agenda/", views_hub.AgendaItemList.as_view(), name="agenda"),
    path("insights/", views_hub.InsightList.as_view(), name="insights"),
    path("results/", views_hub.Results.as_view(), name="results"),
    path("reports/", views.ReportList.as_view(), name="reports"),
    path("reports/<int:year>/q<int:quarter>/", views.ReportDetail.as_view(), name="report"),
    path(
        "reports/<int:year>/q<int:quarter>/download/",
        views.ReportDownload.as_view(),
        name="report_download",
    ),
    path("national/", views.National.as_view(), name="national"),
    path("search/", views_work.Search.as_view(), name="search"),
    path("saved-views/", views_work.SavedViewList.as_view(), name="saved_views"),
    path("imports/", views_work.ImportList.as_view(), name="imports"),
    path("imports/<int:pk>/", views_work.ImportDetail.as_view(), name="import"),
    path("health/", views_work.Health.as_view(), name="health"),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", views.Docs.as_view(), name="docs"),
]
