"""URL patterns of the records pages, spread into cases.urls (namespace
``cases``): episodes and statuses, victims, the closure step, subject access."""

from django.urls import path

from cases.views import export, records, victims

urlpatterns: list = [
    path("children/<int:child_pk>/record/", records.child_episodes, name="child_episodes"),
    path(
        "children/<int:child_pk>/record/<slug:kind>/add/",
        records.episode_add,
        name="episode_add",
    ),
    path(
        "children/<int:child_pk>/record/<slug:kind>/<int:pk>/",
        records.episode_edit,
        name="episode_edit",
    ),
    path(
        "children/<int:child_pk>/outcomes/<int:pk>/close/",
        records.outcome_close,
        name="outcome_close",
    ),
    path(
        "children/<int:child_pk>/plan/<int:pk>/close/",
        records.plan_item_close,
        name="plan_item_close",
    ),
    path("victims/", victims.victim_list, name="victims"),
    path("children/<int:child_pk>/victims/add/", victims.victim_add, name="victim_add"),
    path("children/<int:child_pk>/victims/link/", victims.victim_link, name="victim_link"),
    path("children/<int:child_pk>/victims/<int:pk>/", victims.victim_detail, name="victim_detail"),
    path("children/<int:child_pk>/victims/<int:pk>/edit/", victims.victim_edit, name="victim_edit"),
    path("children/<int:child_pk>/subject-access/", export.subject_access, name="subject_access"),
    path(
        "children/<int:child_pk>/subject-access/record.json",
        export.subject_access_json,
        name="subject_access_json",
    ),
    path(
        "children/<int:child_pk>/subject-access/record.pdf",
        export.subject_access_pdf,
        name="subject_access_pdf",
    ),
]
