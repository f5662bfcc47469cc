from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Out of Court Disposal panel"

    def ready(self):
        from panels import (
            extract,  # noqa: F401  (registers oocd_referrals.csv)
            retention,  # noqa: F401  (registers its parts of a child's record)
        )
