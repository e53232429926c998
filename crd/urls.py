from django.urls import path

from . import views

# /cds-services at the site root, where CDS Hooks clients look for it.
cds_urlpatterns = (
    [
        path("cds-services", views.discovery, name="discovery"),
        path("cds-services/<str:service>", views.service, name="service"),
    ],
    "cds",
)

# Under /fhir/ beside PAS.
fhir_urlpatterns = (
    [
        path("Questionnaire", views.QuestionnaireSearchView.as_view(), name="questionnaire_search"),
        path(
            "Questionnaire/$questionnaire-package",
            views.QuestionnairePackageView.as_view(),
            name="questionnaire_package",
        ),
        path(
            "Questionnaire/<str:qid>",
            views.QuestionnaireReadView.as_view(),
            name="questionnaire_read",
        ),
    ],
    "dtr",
)

# The provider portal's DTR page, for an office whose EHR has no DTR app.
portal_urlpatterns = ([path("", views.dtr_page, name="dtr")], "crd")
