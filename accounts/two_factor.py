"""Two-factor authentication with time-based one-time passwords (django-otp's TOTP devices).

Every role but school staff must use it; school staff may turn it on, and then must use it too.
A signed-in user who needs it and has not verified this session is sent to set it up (no device
yet) or to enter a code."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.policy import active_memberships

OPEN_PATHS = ("/two-factor/", "/sign-out/", "/static/", "/health/")


def has_confirmed_device(user) -> bool:
    """Whether the user has set up an authenticator: from the devices read with the user when
    they came from the signed-in cache (``accounts.signed_in``), or with one query."""
    devices = getattr(user, "_otp_devices", None)
    if devices is not None:
        return bool(devices)
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def requires_two_factor(user) -> bool:
    if has_confirmed_device(user):
        return True
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return any(m.role != Role.SCHOOL_STAFF for m in active_memberships(user))


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not user.is_verified()
            and requires_two_factor(user)
        ):
            target = (
                "accounts:two-factor" if has_confirmed_device(user) else "accounts:two-factor-setup"
            )
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
