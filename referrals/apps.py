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
