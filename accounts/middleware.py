from django.utils.functional import SimpleLazyObject

from accounts.policy import active_memberships

SESSION_KEY = "current_membership_id"


def current_membership(request):
    """The membership the user is working in now: the one chosen on the "switch organisation"
    page, or their first. ``None`` for a user with no active membership."""
    memberships = active_memberships(request.user)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None


class CurrentMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: current_membership(request))
        return self.get_response(request)
