from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("upload/", views.upload, name="upload"),
    path("next/", views.claim_next, name="next"),
    path("<uuid:pk>/", views.review, name="review"),
    path("<uuid:pk>/claim/", views.claim, name="claim"),
    path("<uuid:pk>/release/", views.release, name="release"),
    path("<uuid:pk>/create/", views.create_case, name="create"),
    path("<uuid:pk>/attach/", views.attach, name="attach"),
    path("<uuid:pk>/pages/<int:number>/", views.page_image, name="page"),
]
