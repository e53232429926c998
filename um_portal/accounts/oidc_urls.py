"""Single sign-on URLs; the names are those mozilla-django-oidc reverses. 404 while disabled."""

from django.urls import path

from .oidc import sso_callback, sso_start

urlpatterns = [
    path("authenticate/", sso_start, name="oidc_authentication_init"),
    path("callback/", sso_callback, name="oidc_authentication_callback"),
]
