def notifications(request):
    """The unread count in the header: one indexed count per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from deadlines.models import Notification

    return {
        "unread_notifications": Notification.objects.visible_to(user)
        .filter(recipient=user)
        .unread()
        .count()
    }
