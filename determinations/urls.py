from django.urls import path

from . import views, views_administrative

app_name = "determinations"

urlpatterns = [
    path("cases/<uuid:case_id>/decide/", views.decide, name="decide"),
    path("cases/<uuid:case_id>/refer-back/", views.refer_back, name="refer_back"),
    path("cases/<uuid:case_id>/request-info/", views.request_info, name="request_info"),
    path("cases/<uuid:case_id>/notes/", views.add_note, name="add_note"),
    path("cases/<uuid:case_id>/reopen/", views.reopen, name="reopen"),
    path(
        "cases/<uuid:case_id>/administrative/",
        views_administrative.administrative,
        name="administrative",
    ),
    path(
        "cases/<uuid:case_id>/network-exception/",
        views_administrative.network_exception_new,
        name="network_exception_new",
    ),
    path(
        "network-exceptions/<uuid:exception_id>/decide/",
        views_administrative.network_exception_decide_view,
        name="network_exception_decide",
    ),
    path(
        "network-exceptions/",
        views_administrative.network_exceptions,
        name="network_exceptions",
    ),
    path("letters/<uuid:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letters/attention/", views.letters_attention, name="letters_attention"),
    path(
        "letters/<uuid:letter_id>/resend/",
        views.letter_resend_view,
        name="letter_resend",
    ),
    path(
        "letters/<uuid:letter_id>/confirm-delivered/",
        views.letter_confirm_view,
        name="letter_confirm_delivered",
    ),
]
