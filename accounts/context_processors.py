from django.conf import settings

from accounts.models import Role
from accounts.navigation import items_for
from accounts.policy import active_memberships


def navigation(request):
    context = {
        "service_name": settings.SERVICE_NAME,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
    }
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is not None and user.is_authenticated and membership:
        context["current_membership"] = membership
        context["navigation_items"] = items_for(membership.role, request.path)
        context["can_switch_organisation"] = len(active_memberships(user)) > 1
        # Everyone who works with records finds one by its reference; the LA administrator,
        # who reads no pupil's record, has nothing to find.
        context["can_find_by_reference"] = membership.role != Role.LA_ADMINISTRATOR
        context["idle_minutes"] = settings.SESSION_IDLE_TIMEOUT_MINUTES
        context["idle_seconds"] = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    return context
