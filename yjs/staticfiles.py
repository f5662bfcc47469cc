"""collectstatic leaves out django-htmx's own copies of htmx: the service serves
the htmx it vendors (yjs/static/yjs/htmx.min.js), and django-htmx's htmx
extensions import "htmx" as a bare module name, which the hashed (manifest)
storage cannot resolve, so collecting them would fail the production build."""

from django.apps import apps
from django.contrib.staticfiles import finders

LEFT_OUT = frozenset({"django_htmx"})


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of apps' ``static/`` folders, without LEFT_OUT's."""

    def __init__(self, app_names=None, *args, **kwargs):
        if app_names is None:
            app_names = [c.name for c in apps.get_app_configs() if c.name not in LEFT_OUT]
        super().__init__(app_names, *args, **kwargs)
