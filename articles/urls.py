from django.urls import path

from . import views

app_name = "articles"
urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/assign/", views.article_assign, name="article_assign"),
    path("articles/<int:pk>/auto-assign/", views.article_auto_assign, name="article_auto_assign"),
]
