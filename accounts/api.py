"""API authentication: ``Authorization: Token <key>``, read-only tokens, and each token's
allowance of requests."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from accounts.models import ApiToken
from accounts.services import hash_key


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Token <key>")
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_key(header[1].decode()), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ReadOnlyTokens(permissions.BasePermission):
    message = "This token may only read."

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in permissions.SAFE_METHODS
        return True


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token."""

    target_class = "accounts.api.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>, issued by an LA administrator",
        }


class TokenRateThrottle(throttling.BaseThrottle):
    """``API_RATE`` requests (1,000 by default) per hour for each token, counted in clock hours,
    so one school's system cannot use up another's, nor a person's spreadsheet their own
    browsing (a signed-in browser counts per user). Every answer carries the allowance in
    ``RateLimit`` headers (see :func:`rate_limit_headers`); a 429 says when to come back. With
    Redis away, nothing is counted and nothing refused."""

    def allow_request(self, request, view):
        limit, period = _rate()
        token = request.auth
        if isinstance(token, ApiToken):
            who = f"token-{token.key_hash[:20]}"
        else:  # a user id can come again in a new database; with when they joined, it cannot
            who = f"user-{request.user.pk}-{request.user.date_joined.timestamp():.0f}"
        now = time.time()
        window = int(now // period)
        used = _count(f"api-rate:{who}:{window}", period)
        self.reset = max(int((window + 1) * period - now), 1)
        request._request.rate_limit = (limit, max(limit - used, 0), self.reset, period)
        return used <= limit

    def wait(self):
        return self.reset


def _rate() -> tuple[int, int]:
    number, period = settings.API_RATE.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def _count(key: str, period: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request, or Redis away
        if cache.add(key, 1, period + 60):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            return 0


def rate_limit_headers(get_response):
    """Middleware: an API answer says how many requests its token has left this hour, in the
    IETF's RateLimit fields (draft-ietf-httpapi-ratelimit-headers) and their older three-header
    form that most client libraries read."""

    def middleware(request):
        response = get_response(request)
        allowance = getattr(request, "rate_limit", None)
        if allowance is not None:
            limit, remaining, reset, period = allowance
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset)
            response["RateLimit-Policy"] = f'"per-token";q={limit};w={period}'
            response["RateLimit"] = f'"per-token";r={remaining};t={reset}'
        return response

    return middleware
