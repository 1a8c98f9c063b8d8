"""The API under /api/ (schema, docs, v1) and the My settings page. Included at the site root."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .errors import not_found
from .views import articles, assignments, exports, imports, integration, pages, publishing, ratings, scoring

app_name = "api"

v1 = [
    path("me/", integration.MeView.as_view(), name="me"),
    path("tokens/", integration.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:pk>/", integration.TokenDetailView.as_view(), name="token-detail"),
    path("imports/", imports.ImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/items/", imports.ImportItemListView.as_view(), name="import-items"),
    path("imports/<int:pk>/retry/", imports.ImportRetryView.as_view(), name="import-retry"),
    path("articles/", articles.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:pk>/", articles.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:pk>/report/", publishing.ArticleReportView.as_view(), name="article-report"),
    path(
        "articles/<int:pk>/report/publish/",
        publishing.ArticleReportPublishView.as_view(),
        name="article-report-publish",
    ),
    path(
        "articles/<int:pk>/report/withdraw/",
        publishing.ArticleReportWithdrawView.as_view(),
        name="article-report-withdraw",
    ),
    path("statements/", articles.StatementListView.as_view(), name="statement-list"),
    path("statements/<int:pk>/", articles.StatementDetailView.as_view(), name="statement-detail"),
    path("statements/<int:pk>/settle/", articles.StatementSettleView.as_view(), name="statement-settle"),
    path("score", scoring.ScoreView.as_view(), name="score"),
    path("assignments/", assignments.AssignmentListView.as_view(), name="assignment-list"),
    path("assignments/auto/", assignments.AssignmentAutoView.as_view(), name="assignment-auto"),
    path("assignments/<int:pk>/", assignments.AssignmentDetailView.as_view(), name="assignment-detail"),
    path("queue/", assignments.QueueView.as_view(), name="queue"),
    path("queue/<int:pk>/", assignments.QueueItemView.as_view(), name="queue-item"),
    path("ratings/", ratings.RatingListView.as_view(), name="rating-list"),
    path("ratings/<int:pk>/", ratings.RatingDetailView.as_view(), name="rating-detail"),
    path("reports/", publishing.ReportListView.as_view(), name="report-list"),
    path("reports/<int:pk>/", publishing.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/claimreview/", publishing.ReportClaimReviewView.as_view(), name="report-claimreview"),
    path("exports/verdicts.csv", exports.VerdictsCsvView.as_view(), name="export-verdicts-csv"),
    path("exports/verdicts.json", exports.VerdictsJsonView.as_view(), name="export-verdicts-json"),
    path("webhooks/", integration.WebhookListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", integration.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/deliveries/", integration.WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
]

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "api/redoc/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"), name="redoc"
    ),
    path("api/v1/", include(v1)),
    re_path(r"^api/", not_found),  # anything else under /api/: a JSON 404, not the site's HTML page
    path("settings/", pages.my_settings, name="settings"),
    path("settings/tokens/<int:pk>/revoke/", pages.token_revoke, name="settings_token_revoke"),
    path("settings/byline/", pages.byline_consent, name="settings_byline"),
]
