from django.urls import path

from .views import api_access, appeals, feedback, requests, search, submission

app_name = "portal"

CASE = "requests/<uuid:care_request_id>/"

urlpatterns = [
    path("", requests.request_list, name="home"),
    path("new/", submission.member_lookup, name="new"),
    path("new/details/", submission.new_details, name="new_details"),
    path("api-access/", api_access.api_access, name="api_access"),
    path("api-access/token/", api_access.api_token_create, name="api_token_create"),
    path("api-access/token/revoke/", api_access.api_token_delete, name="api_token_revoke"),
    path("search/services/", search.services, name="search_services"),
    path("search/diagnoses/", search.diagnoses, name="search_diagnoses"),
    path(CASE, requests.case_detail, name="case"),
    path(CASE + "edit/", submission.edit_details, name="edit"),
    path(CASE + "documents/", submission.documents, name="documents"),
    path(CASE + "review/", submission.review, name="review"),
    path(CASE + "submit/", submission.submit, name="submit"),
    path(CASE + "information-response/", requests.information_response, name="info_response"),
    path(CASE + "withdraw/", requests.withdraw, name="withdraw"),
    path(CASE + "feedback/", feedback.feedback_submit_view, name="feedback"),
    path(CASE + "appeal/", appeals.appeal_new, name="appeal_new"),
    path(
        CASE + "appeals/<uuid:appeal_id>/withdraw/",
        appeals.appeal_withdraw_view,
        name="appeal_withdraw",
    ),
    path(
        CASE + "documents/<uuid:document_id>/download/",
        requests.document_download,
        name="document",
    ),
]
