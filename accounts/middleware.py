import time

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from accounts.policy import active_memberships
from config.pages import keep_what_was_typed

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


class SignInKeepingWhatWasTypedMiddleware(LoginRequiredMiddleware):
    """Django's sign-in requirement, with one kindness: a form sent after the session ended
    (30 minutes without a request, WCAG 2.2.1) is kept through the sign-in, for the same person
    only, and shown again filled in (:func:`config.pages.posted`). Nothing is saved until they
    send it again."""

    def handle_no_permission(self, request, view_func):
        if request.method == "POST":
            user_id = _user_of_ended_session(request)
            if user_id is not None:
                keep_what_was_typed(request, user_id)
        return super().handle_no_permission(request, view_func)


def _user_of_ended_session(request):
    """Whose session the browser's cookie named, though it has ended."""
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY as USER_KEY
    from django.contrib.sessions.models import Session

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    ended = Session.objects.filter(session_key=key).first() if key else None
    if ended is None:
        return None
    return ended.get_decoded().get(USER_KEY)


class SignedInOTPMiddleware(OTPMiddleware):
    """django-otp's middleware, finding the device this session was verified with among the
    user's confirmed devices that ``accounts.signed_in`` read with the user, instead of with a
    query of its own."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, "_otp_devices", None)
        if devices is None:  # not signed in, or a user not read through the cache
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = (
            devices.get(self._normalize_persistent_id(persistent_id)) if persistent_id else None
        )
        user.otp_device = self._finalize_device(request, user, device)
        return user


REFRESHED = "session_refreshed_at"
REFRESH_SECONDS = 60


class KeepSessionAliveMiddleware:
    """The session ends after 30 minutes without a request (WCAG 2.2.1 warns before it does).
    Its end moves on with each request, written at most once a minute rather than on every
    request: a page that changes nothing writes nothing. "Stay signed in" always writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key and time.time() - session.get(REFRESHED, 0) >= REFRESH_SECONDS:
            renew(session)
        return self.get_response(request)


def renew(session) -> None:
    """Move the session's end on now: it is written when the response is sent."""
    session[REFRESHED] = int(time.time())
