"""The board pack's URLs; performance/urls.py spreads these into its patterns."""

from django.urls import path

from performance import views_packs

urlpatterns = [
    path("packs/", views_packs.packs, name="packs"),
    path("packs/<str:quarter>/prepare/", views_packs.pack_prepare, name="pack_prepare"),
    path("packs/<int:pk>/", views_packs.pack_detail, name="pack"),
    path("packs/<int:pk>/status/", views_packs.pack_status, name="pack_status"),
    path("packs/<int:pk>/download/", views_packs.pack_download, name="pack_download"),
]
