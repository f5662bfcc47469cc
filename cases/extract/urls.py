"""URL patterns of the browser import, spread into cases.urls."""

from django.urls import path

from cases.extract import views

urlpatterns: list = [
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/status/", views.import_job_status, name="import_job_status"),
    path("import/<int:pk>/commit/", views.import_job_commit, name="import_job_commit"),
]
