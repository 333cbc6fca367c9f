from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "egov.demo"
    label = "demo"
    verbose_name = "Demo data"
