from django.urls import path

from yjs.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.staff_list, name="staff"),
    path("add/", views.staff_create, name="staff_create"),
    path("<int:pk>/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/unlock/", views.staff_unlock, name="staff_unlock"),
]
