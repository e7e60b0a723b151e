from django.core.cache import cache
from django.db import transaction

UNREAD_TTL_SECONDS = 600


def _key(user_id) -> str:
    return f"unread-notifications:{user_id}"


def forget_unread(user_ids) -> None:
    """The people whose unread count changed: read again on their next page (at once, and
    when the change commits, so a page read meanwhile cannot keep the old count)."""
    keys = [_key(user_id) for user_id in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def notifications(request):
    """The unread count in the header: kept in the cache per person, dropped whenever one of
    their notifications is made, read or removed; one indexed count when it is not there."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from deadlines.models import Notification

    count = cache.get(_key(user.pk))
    if count is None:
        count = Notification.objects.visible_to(user).filter(recipient=user).unread().count()
        cache.set(_key(user.pk), count, UNREAD_TTL_SECONDS)
    return {"unread_notifications": count}
