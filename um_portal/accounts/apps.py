from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "um_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the sign-in audit receivers
