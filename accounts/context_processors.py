import functools

from django.conf import settings
from django.templatetags.static import static

from accounts.models import Role
from accounts.navigation import items_for, layout_urls, navigation_html
from accounts.policy import active_memberships

# The layout's own files, by the names ``base.html`` gives them.
LAYOUT_STATIC = {
    "favicon": "assets/images/favicon.ico",
    "app_css": "css/app.css",
    "body_class_js": "js/body-class.js",
    "govuk_js": "js/govuk/all.bundle.js",
    "moj_js": "js/moj/all.bundle.js",
    "htmx_js": "js/htmx.min.js",
    "autocomplete_js": "js/accessible-autocomplete.min.js",
    "init_js": "js/init.js",
}


@functools.cache
def layout_static_urls(static_url: str) -> dict[str, str]:
    """The layout's static file addresses, worked out once per process (the manifest does not
    change while it runs) rather than eight times on every page."""
    return {key: static(path) for key, path in LAYOUT_STATIC.items()}


def layout() -> dict:
    """What ``base.html`` shows on every page, signed in or not: the names, links and files."""
    return {
        "service_name": settings.SERVICE_NAME,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
        "layout_urls": layout_urls(),
        "layout_static": layout_static_urls(settings.STATIC_URL),
    }


def navigation(request):
    context = layout()
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is not None and user.is_authenticated and membership:
        context["current_membership"] = membership
        context["navigation_items"] = navigation_html(items_for(membership.role, request.path))
        context["can_switch_organisation"] = len(active_memberships(user)) > 1
        # Everyone who works with records finds one by its reference; the LA administrator,
        # who reads no pupil's record, has nothing to find.
        context["can_find_by_reference"] = membership.role != Role.LA_ADMINISTRATOR
        context["idle_minutes"] = settings.SESSION_IDLE_TIMEOUT_MINUTES
        context["idle_seconds"] = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    return context
