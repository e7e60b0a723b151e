from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and gateway screening"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from accounts.policy import NOTHING, referral_q, register_pupil_rule

        def pupils_referred_to_the_user(memberships) -> Q:
            """Gateway and service staff see the pupils whose referrals they can see."""
            from referrals.models import Referral

            rule = referral_q(memberships)
            if rule == NOTHING:
                return NOTHING
            return Q(Exists(Referral.objects.filter(rule, pupil=OuterRef("pk"))))

        register_pupil_rule(pupils_referred_to_the_user)

        from pupils import timeline

        timeline.register(referral_timeline)
        expect_deadlines()


def expect_deadlines():
    """What ``reconcile_deadlines`` puts back for referrals."""
    from django.utils import timezone

    from deadlines.expectations import expect_clock
    from referrals.models import Referral, Status
    from referrals.services import allocation_clock

    expect_clock(
        "allocation",
        lambda: Referral.objects.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]),
        because="the referral is waiting to be allocated",
        build=lambda referral: allocation_clock(
            referral, start=timezone.localdate(referral.submitted_at)
        ),
    )


def referral_timeline(user, pupil):
    """Every step of the pupil's referrals that the user may see, for the pupil's timeline."""
    from django.urls import reverse

    from pupils.timeline import Entry
    from referrals.models import Referral, ReferralActivity

    visible = Referral.objects.visible_to(user).filter(pupil=pupil)
    activities = ReferralActivity.objects.filter(referral__in=visible).select_related(
        "referral__referral_type", "actor"
    )
    return [
        Entry(
            at=activity.at,
            title=f"{activity.get_kind_display()}: {activity.referral.referral_type.name}",
            byline=activity.actor.full_name if activity.actor else "",
            description=f"{activity.referral.label}. {activity.note}".strip(),
            url=reverse("referrals:detail", args=[activity.referral_id]),
        )
        for activity in activities
    ]
