from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/add/", views.agency_form, name="agency_add"),
    path("agencies/<int:pk>/edit/", views.agency_form, name="agency_edit"),
    path("members/add/", views.member_form, name="member_add"),
    path("members/<int:pk>/edit/", views.member_form, name="member_edit"),
    path("meetings/add/", views.meeting_form, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("actions/", views.actions, name="actions"),
    path("actions/add/", views.action_form, name="action_add"),
    path("actions/<int:pk>/edit/", views.action_form, name="action_edit"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities/add/", views.priority_form, name="priority_add"),
    path("priorities/<int:pk>/edit/", views.priority_form, name="priority_edit"),
    path("risks/add/", views.risk_form, name="risk_add"),
    path("risks/<int:pk>/edit/", views.risk_form, name="risk_edit"),
    path("budget/", views.budget, name="budget"),
    path("budget/add/", views.budget_form, name="budget_add"),
]
