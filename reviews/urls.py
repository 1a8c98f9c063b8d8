from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("overview/", views.overview, name="overview"),
    path("statements/<int:pk>/", views.statement_review, name="statement_review"),
    path("statements/<int:pk>/settle/", views.statement_settle, name="statement_settle"),
]
