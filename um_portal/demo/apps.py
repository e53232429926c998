from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "um_portal.demo"
    label = "demo"
    verbose_name = "Demo data"
