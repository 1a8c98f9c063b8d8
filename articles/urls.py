from django.urls import path

from .views import curation, feeds, imports

app_name = "articles"
urlpatterns = [
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/retry/", imports.import_retry, name="import_retry"),
    path("imports/items/<int:pk>/raw/", imports.import_item_raw, name="import_item_raw"),
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/<int:pk>/", feeds.feed_detail, name="feed_detail"),
    path("feeds/<int:pk>/poll/", feeds.feed_poll_now, name="feed_poll"),
    path("feeds/<int:pk>/active/", feeds.feed_toggle, name="feed_toggle"),
    path("statements/<int:pk>/curate/", curation.statement_curate, name="statement_curate"),
    path("statements/<int:pk>/curate/edit/", curation.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/curate/split/", curation.statement_split, name="statement_split"),
    path("statements/<int:pk>/curate/merge/", curation.statement_merge, name="statement_merge"),
    path("statements/<int:pk>/curate/mark/", curation.statement_mark, name="statement_mark"),
]
