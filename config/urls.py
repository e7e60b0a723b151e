from django.contrib import admin
from django.urls import include, path

from config.health import health

admin.site.site_header = "Behaviour support casework: configuration"
admin.site.site_title = "Casework configuration"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("pupils.urls")),
    path("audit/", include("audit.urls")),
    path("", include("deadlines.urls")),
    path("referrals/", include("referrals.urls")),
    path("cases/", include("cases.urls")),
    path("plans/", include("plans.urls")),
    path("exclusions/", include("exclusions.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
]


def server_error(request):
    """The "problem with the service" page. Django renders it without the context processors,
    so the layout's names and links are given here."""
    from django.http import HttpResponseServerError
    from django.template import loader

    from accounts.context_processors import layout

    return HttpResponseServerError(loader.get_template("500.html").render(layout()))


handler500 = server_error
