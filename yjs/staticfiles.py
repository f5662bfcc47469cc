"""collectstatic leaves out django-htmx's own copies of htmx: the service serves
the htmx it vendors (yjs/static/yjs/htmx.min.js), and django-htmx's htmx
extensions import "htmx" as a bare module name, which the hashed (manifest)
storage cannot resolve, so collecting them would fail the production build."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class YjsStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "django_htmx"]
