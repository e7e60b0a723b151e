"""The address a request came from, for sign-in lock-out.

Behind the production proxy every request arrives from the proxy's own address, so lock-out by
``REMOTE_ADDR`` alone would lock everyone out at once. The client's address is taken from
``X-Forwarded-For`` only as far as ``TRUSTED_PROXY_COUNT`` proxies that we run have written it:
the entries to the left of those are whatever the client chose to send, and are not trusted.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    trusted = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Each trusted proxy appends the address it received the request from; the last of
    # them is the one we connect to (REMOTE_ADDR), so the client is ``trusted`` from the right.
    if len(forwarded) >= trusted:
        return forwarded[-trusted]
    return remote
