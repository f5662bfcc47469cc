from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "yjs.demo"
    label = "demo"
    verbose_name = "Synthetic demo data"
