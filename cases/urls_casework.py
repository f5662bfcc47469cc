"""URL patterns of the casework pages, spread into cases.urls."""

from django.urls import path

from cases.views import caseload, casework, child

urlpatterns: list = [
    path("caseload/", caseload.caseload, {"scope": "mine"}, name="caseload"),
    path("caseload/<slug:scope>/", caseload.caseload, name="caseload_scope"),
    path("caseload/<slug:scope>/export.csv", caseload.caseload_export, name="caseload_export"),
    path("children/new/", child.child_create_view, name="child_create"),
    path("children/<int:pk>/", child.child_detail, name="child"),
    path("children/<int:pk>/details/", child.child_edit, name="child_edit"),
    path("children/<int:pk>/allocation/", child.child_allocate_view, name="child_allocate"),
    path("children/<int:pk>/offences/new/", casework.offence_create, name="offence_create"),
    path(
        "children/<int:pk>/offences/<int:record_pk>/",
        casework.offence_edit,
        name="offence_edit",
    ),
    path("children/<int:pk>/outcomes/new/", casework.outcome_create, name="outcome_create"),
    path(
        "children/<int:pk>/outcomes/<int:record_pk>/",
        casework.outcome_edit,
        name="outcome_edit",
    ),
    path(
        "children/<int:pk>/assessments/new/",
        casework.assessment_create,
        name="assessment_create",
    ),
    path(
        "children/<int:pk>/assessments/<int:record_pk>/",
        casework.assessment_edit,
        name="assessment_edit",
    ),
    path("children/<int:pk>/plan/new/", casework.plan_item_create, name="plan_item_create"),
    path("children/<int:pk>/plan/<int:record_pk>/", casework.plan_item_edit, name="plan_item_edit"),
    path("children/<int:pk>/contacts/new/", casework.contact_create, name="contact_create"),
    path(
        "children/<int:pk>/contacts/<int:record_pk>/",
        casework.contact_edit,
        name="contact_edit",
    ),
    path("children/<int:pk>/notes/new/", casework.note_create, name="note_create"),
    path("children/<int:pk>/notes/<int:record_pk>/", casework.note_edit, name="note_edit"),
    path("programmes/", casework.programme_list, name="programmes"),
    path("programmes/new/", casework.programme_create, name="programme_create"),
    path("programmes/<int:programme_pk>/", casework.programme_edit, name="programme_edit"),
]
