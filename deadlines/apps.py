from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "School calendar and deadlines"

    def ready(self):
        register_personal_data()
        from accounts import home
        from deadlines.home import home_page

        home.register(home_page)
        from deadlines import operations

        operations.register(webhooks_not_delivered)
        from django.db.models.signals import post_delete, post_save

        from deadlines.calendar import forget_authority_dates
        from deadlines.models import InsetDay, Term

        for model in (Term, InsetDay):
            post_save.connect(forget_authority_dates, sender=model, dispatch_uid=f"{model}-save")
            post_delete.connect(
                forget_authority_dates, sender=model, dispatch_uid=f"{model}-delete"
            )
        from deadlines.context_processors import forget_unread
        from deadlines.models import Notification

        def notification_changed(sender, instance, **kwargs):
            if instance.recipient_id:
                forget_unread([instance.recipient_id])

        post_save.connect(
            notification_changed, sender=Notification, weak=False, dispatch_uid="unread-saved"
        )
        post_delete.connect(
            notification_changed, sender=Notification, weak=False, dispatch_uid="unread-deleted"
        )


def register_personal_data():
    """A deadline's title, and the reminders written from it, name its pupil."""
    from audit.personal_data import REMOVED, holds
    from deadlines.models import Deadline, Notification

    holds(Deadline, lambda pupil: Deadline.objects.filter(pupil=pupil),
          anonymised={"title": REMOVED})  # fmt: skip

    def naming(pupil):
        """Reminders about the pupil's deadlines, and messages that name the pupil (a referral
        of a looked-after pupil, an exclusion notified, a list of overdue reviews)."""
        from django.db.models import Q

        about = Q(deadline__pupil=pupil)
        for name in {pupil.display_name, pupil.legal_name}:
            about |= Q(subject__contains=name) | Q(body__contains=name)
        return Notification.objects.filter(about)

    holds(Notification, naming, anonymised={"subject": REMOVED, "body": REMOVED})


def webhooks_not_delivered(authority_ids, today):
    """Webhook events to the authority's schools' systems that failed after every try, or
    whose answer was lost (the e-mails' rules: never sent again by itself)."""
    from deadlines.models import NotificationStatus, WebhookDelivery
    from deadlines.operations import Finding

    return Finding(
        "Webhook events not delivered to a school's system",
        WebhookDelivery.objects.filter(
            status__in=[NotificationStatus.FAILED, NotificationStatus.UNKNOWN],
            endpoint__school__organisation__local_authority__in=authority_ids,
            endpoint__revoked_at__isnull=True,
        ).count(),
        "Ask the school's system supplier to check its webhook address. Nothing is lost: the "
        "system reads every change through the API with updated_since.",
    )
