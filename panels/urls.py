from django.urls import path

from panels import views

app_name = "panels"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/sign-off/", views.meeting_sign_off, name="meeting_sign_off"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/prepare/", views.referral_prepare, name="referral_prepare"),
    path("referrals/<int:pk>/decide/", views.referral_decide, name="referral_decide"),
    path("referrals/<int:pk>/sign-off/", views.referral_sign_off, name="referral_sign_off"),
    path("referrals/<int:pk>/amend/", views.referral_amend, name="referral_amend"),
    path("scrutiny/", views.scrutiny_home, name="scrutiny"),
    path("scrutiny/<str:quarter>/", views.scrutiny_sample, name="scrutiny_sample"),
    path("scrutiny/reviews/<int:pk>/", views.scrutiny_verdict, name="scrutiny_verdict"),
    path("report/", views.report, name="report"),
]
