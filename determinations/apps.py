from django.apps import AppConfig


class DeterminationsConfig(AppConfig):
    name = "determinations"
