from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yjs.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from yjs.audit import signals  # noqa: F401
