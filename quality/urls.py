from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.goals_page, name="goals"),
    path("goals/new/", views.goal_edit, name="goal_new"),
    path("goals/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path("setup/", views.setup_page, name="setup"),
    path("feedback/", views.feedback_page, name="feedback"),
    path("feedback.csv", views.feedback_csv, name="feedback_csv"),
]
