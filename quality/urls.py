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
    path("irr/", views.irr_list, name="irr_list"),
    path("irr/new/", views.irr_new, name="irr_new"),
    path("irr/mine/", views.irr_mine, name="irr_mine"),
    path("irr/assignments/<uuid:assignment_id>/", views.irr_assignment, name="irr_assignment"),
    path("irr/<uuid:audit_id>/", views.irr_detail, name="irr_detail"),
    path("irr/<uuid:audit_id>/complete/", views.irr_complete, name="irr_complete"),
    path("irr/<uuid:audit_id>/results/", views.irr_results, name="irr_results"),
    path("irr/<uuid:audit_id>/results.csv", views.irr_results_csv, name="irr_results_csv"),
    path("irr/<uuid:audit_id>/results.pdf", views.irr_results_pdf, name="irr_results_pdf"),
]
