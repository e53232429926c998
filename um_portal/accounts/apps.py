from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "um_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
