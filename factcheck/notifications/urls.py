from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notice_list, name="list"),
    path("notifications/<int:pk>/read/", views.notice_read, name="read"),
    path("notifications/read-all/", views.notices_read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
