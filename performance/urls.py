from django.urls import path

from performance import urls_packs, views

app_name = "performance"

urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("recalculate/", views.refresh, name="refresh"),
    path("runs/<int:pk>/", views.run_status, name="run_status"),
    path("drill/<str:figure>/", views.drill, name="drill"),
    path("caseload-profile/", views.caseload_profile, name="profile"),
    path("disproportionality/", views.disproportionality, name="disproportionality"),
    path("reoffending-tracker/", views.tracker, name="tracker"),
    path("kpi-return/", views.kpi_return, name="kpi_return"),
    path("kpi-return/download.<str:fmt>", views.kpi_return_download, name="kpi_return_download"),
    path("data-completeness/", views.completeness, name="completeness"),
    path("comparators/", views.comparators, name="comparators"),
    path("population/", views.population, name="population"),
    *urls_packs.urlpatterns,
]
