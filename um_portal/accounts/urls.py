from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("lockouts/", views.lockouts, name="lockouts"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
]
