from django.urls import path

from . import curation_views, views

app_name = "articles"
urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("imports/items/<int:pk>/raw/", views.import_item_raw, name="import_item_raw"),
    path("feeds/", views.feed_list, name="feed_list"),
    path("feeds/<int:pk>/", views.feed_detail, name="feed_detail"),
    path("feeds/<int:pk>/poll/", views.feed_poll_now, name="feed_poll"),
    path("feeds/<int:pk>/active/", views.feed_toggle, name="feed_toggle"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/history/", views.article_history, name="article_history"),
    path("articles/<int:pk>/assign/", views.article_assign, name="article_assign"),
    path("articles/<int:pk>/auto-assign/", views.article_auto_assign, name="article_auto_assign"),
    path("scoring/", views.scoring_models, name="scoring_models"),
]

urlpatterns += [
    path("statements/<int:pk>/curate/", curation_views.statement_curate, name="statement_curate"),
    path("statements/<int:pk>/curate/edit/", curation_views.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/curate/split/", curation_views.statement_split, name="statement_split"),
    path("statements/<int:pk>/curate/merge/", curation_views.statement_merge, name="statement_merge"),
    path("statements/<int:pk>/curate/mark/", curation_views.statement_mark, name="statement_mark"),
]
