from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance and indicators"

    def ready(self):
        # board_pack_tasks registers the pack's Celery task; extract registers population.csv.
        from performance import board_pack_tasks, extract  # noqa: F401
