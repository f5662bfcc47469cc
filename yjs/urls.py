from django.contrib.auth import views as auth_views
from django.urls import include, path

from yjs import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", include("yjs.accounts.urls")),
    path("audit/", include("yjs.audit.urls")),
    path("", include("cases.urls")),
    path("panel/", include("panels.urls")),
    path("performance/", include("performance.urls")),
    path("board/", include("governance.urls")),
]

handler403 = "yjs.views.error_403"
handler404 = "yjs.views.error_404"
handler500 = "yjs.views.error_500"
