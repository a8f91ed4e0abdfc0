from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from luoshi.orgs.auth_views import ThrottledLoginView
from luoshi.site import views as site_views



def favicon(request):
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">.
    return redirect(static("luoshi/favicon.svg"), permanent=True)


def admin_login(request):
    # The admin's own login form would bypass the lockout: every login goes through the throttled one.
    return redirect_to_login(request.GET.get("next") or "/admin/")


urlpatterns = [
    path("favicon.ico", favicon),
    path("", site_views.home, name="home"),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("luoshi.orgs.urls")),
    path("directives/", include("luoshi.directives.urls")),
    path("tasks/", include("luoshi.tasks.urls")),
    path("supervision/", include("luoshi.supervision.urls")),
    path("indicators/", include("luoshi.indicators.urls")),
    path("projects/", include("luoshi.projects.urls")),
    path("requests/", include("luoshi.requests.urls")),
    path("reports/", include("luoshi.reports.urls")),
    path("api/", include("luoshi.api.urls")),
    path("tokens/", include("luoshi.api.page_urls")),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
