"""The Celery app. Without a broker in the environment, tasks run eagerly in
the calling process (settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")

app = Celery("yjs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
