"""The review desk's pages. Included at the site root: the desk's article pages keep their /articles/ paths,
the reviewers' and editors' pages live under /reviews/."""

from django.urls import path

from .publishing import views as publishing
from .views import claim_memory, deadlines, desk, queue, scoring, search, team, triage

app_name = "reviews"
urlpatterns = [
    path("search/", search.search_page, name="search"),
    path("reviews/queue/", queue.queue, name="queue"),
    path("reviews/assignments/<int:pk>/", queue.assignment_detail, name="assignment_detail"),
    path("reviews/assignments/<int:pk>/remove/", desk.assignment_remove, name="assignment_remove"),
    path("reviews/assignments/<int:pk>/reassign/", deadlines.assignment_reassign, name="assignment_reassign"),
    path("reviews/assignments/<int:pk>/due/", deadlines.assignment_due, name="assignment_due"),
    path("reviews/auto-assign/", deadlines.auto_assign, name="auto_assign"),
    path("reviews/auto-assign/<int:pk>/", deadlines.auto_assign_batch, name="auto_assign_batch"),
    path("reviews/auto-assign/<int:pk>/undo/", deadlines.auto_assign_undo, name="auto_assign_undo"),
    path("reviews/overdue/", deadlines.overdue, name="overdue"),
    path("reviews/statements/bulk/", deadlines.statements_bulk, name="statements_bulk"),
    path("reviews/triage/", triage.board, name="triage"),
    path("reviews/overview/", desk.overview, name="overview"),
    path("reviews/statements/<int:pk>/", desk.statement_review, name="statement_review"),
    path("reviews/statements/<int:pk>/settle/", desk.statement_settle, name="statement_settle"),
    path("articles/", triage.article_list, name="article_list"),
    path("reviews/statements/", triage.statement_list, name="statement_list"),
    path("reviews/matches/<int:pk>/decide/", claim_memory.claim_match_decide, name="claim_match_decide"),
    path(
        "reviews/matches/<int:pk>/settle/",
        claim_memory.statement_settle_by_reference,
        name="statement_settle_by_reference",
    ),
    path("articles/<int:pk>/", desk.article_detail, name="article_detail"),
    path("articles/<int:pk>/history/", desk.article_history, name="article_history"),
    path("articles/<int:pk>/assign/", desk.article_assign, name="article_assign"),
    path("articles/<int:pk>/auto-assign/", desk.article_auto_assign, name="article_auto_assign"),
    path("scoring/", scoring.scoring_models, name="scoring_models"),
    path("scoring/matcher/train/", scoring.matcher_train, name="matcher_train"),
    path("reviews/articles/<int:pk>/report/", publishing.report_publish, name="report_publish"),
    path("reviews/reports/", publishing.report_list, name="report_list"),
    path("reviews/reports/<int:pk>/", publishing.report_detail, name="report_detail"),
    path("reviews/reports/<int:pk>.json", publishing.report_json, name="report_json"),
    path("reviews/exports/verdicts.csv", publishing.verdicts_csv, name="verdicts_csv"),
    path("reviews/team/", team.member_list, name="members"),
    path("reviews/team/<int:pk>/", team.member_detail, name="member_detail"),
    path("reviews/team/lockouts/<int:pk>/lift/", team.lockout_lift, name="lockout_lift"),
]
