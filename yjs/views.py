from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yjs.context_processors import navigation


def home(request):
    """The landing page: what this person can do, by role."""
    sections = list(navigation(request)["nav_items"])
    return render(request, "home.html", {"sections": sections, "roles": request.user.role_labels})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for the load balancer and compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def error_500(request):
    return render(request, "500.html", status=500)
