from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("overview/", views.overview, name="overview"),
    path("statements/<int:pk>/", views.statement_review, name="statement_review"),
    path("statements/<int:pk>/settle/", views.statement_settle, name="statement_settle"),
]

from . import report_views  # noqa: E402

urlpatterns += [
    path("articles/<int:pk>/report/", report_views.report_publish, name="report_publish"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>.json", report_views.report_json, name="report_json"),
    path("exports/verdicts.csv", report_views.verdicts_csv, name="verdicts_csv"),
]

from . import member_views  # noqa: E402

urlpatterns += [
    path("team/", member_views.member_list, name="members"),
    path("team/<int:pk>/", member_views.member_detail, name="member_detail"),
]
