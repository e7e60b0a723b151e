from django.apps import AppConfig

from deadlines.codes import KindCode


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and gateway screening"

    def ready(self):
        from django.db.models import Exists, OuterRef, Q

        from accounts.policy import NOTHING
        from config.choices import read_again_when_changed
        from pupils.access import register_involvement, register_pupil_rule
        from referrals.access import involved_through_referrals, referral_q

        def pupils_referred_to_the_user(memberships) -> Q:
            """Gateway and service staff see the pupils whose referrals they can see."""
            from referrals.models import Referral

            rule = referral_q(memberships)
            if rule == NOTHING:
                return NOTHING
            return Q(Exists(Referral.objects.filter(rule, pupil=OuterRef("pk"))))

        from referrals.models import ReferralType

        read_again_when_changed(ReferralType)
        register_pupil_rule(pupils_referred_to_the_user)
        register_involvement(involved_through_referrals)

        from pupils import timeline

        timeline.register(referral_timeline)
        expect_deadlines()
        from accounts import home
        from referrals.home import home_page

        home.register(home_page)
        from accounts import finder

        finder.register(find_referral)
        register_personal_data()
        from pupils import merging

        merging.register_check(no_two_open_referrals_to_one_service)


def register_personal_data():
    """A referral's answers, its history in words and its documents (audit.personal_data)."""
    from audit.personal_data import REMOVED, documents, holds, section
    from referrals.models import Attachment, Referral, ReferralActivity

    answers = [
        "reason", "concerns", "strengths", "pupil_views", "parent_views", "interventions_tried",
        "crisis_reason", "exclusion_history", "virtual_school_consulted_with", "consent_given_by",
        "referrer_name", "referrer_role", "referrer_phone", "referrer_email", "question",
        "answer", "decision_reason",
    ]  # fmt: skip
    holds(Referral, lambda pupil: Referral.objects.filter(pupil=pupil),
          anonymised=dict.fromkeys(answers, ""))  # fmt: skip
    holds(ReferralActivity, lambda pupil: ReferralActivity.objects.filter(referral__pupil=pupil),
          anonymised={"note": REMOVED})  # fmt: skip
    holds(Attachment, lambda pupil: Attachment.objects.filter(referral__pupil=pupil),
          delete=True, files="file")  # fmt: skip

    def uploaded(pupil):
        for attachment in Attachment.objects.filter(referral__pupil=pupil):
            with attachment.file.open("rb") as handle:
                yield f"{attachment.pk}-{attachment.original_name}", handle.read()

    documents("documents", uploaded)
    section("referrals", lambda pupil, person: [
        {"reference": r.reference, "type": r.referral_type.name,
         "status": r.get_status_display(), "submitted": r.submitted_at, "reason": r.reason,
         "concerns": r.concerns, "pupil_views": r.pupil_views, "parent_views": r.parent_views,
         "history": [{"what": a.get_kind_display(), "when": a.at,
                      "by": person(a.actor.full_name if a.actor else ""), "note": a.note}
                     for a in r.activities.select_related("actor")]}
        for r in Referral.objects.filter(pupil=pupil).select_related("referral_type")
    ])  # fmt: skip


def expect_deadlines():
    """What ``reconcile_deadlines`` puts back for referrals."""
    from django.utils import timezone

    from deadlines.expectations import expect_clock
    from referrals.models import Referral, Status
    from referrals.services import allocation_clock

    expect_clock(
        KindCode.ALLOCATION,
        lambda: Referral.objects.filter(status__in=[Status.SUBMITTED, Status.ACCEPTED]),
        because="the referral is waiting to be allocated",
        build=lambda referral: allocation_clock(
            referral, start=timezone.localdate(referral.submitted_at)
        ),
    )


def referral_timeline(user, pupil):
    """Every step of the pupil's referrals that the user may see, for the pupil's timeline."""
    from config.tables import record_urls
    from pupils.timeline import Entry
    from referrals.models import EventKind, Referral

    # The steps joined to the referrals the user may see (not a subquery of them, whose rules
    # Django copies and renames on every read), as values rather than three model instances a
    # row, and the address reversed once.
    activities = (
        Referral.objects.visible_to(user).filter(pupil=pupil, activities__isnull=False)
        .order_by()
        .values_list("activities__at", "activities__kind", "activities__note", "pk",
                     "reference", "referral_type__name", "activities__actor__full_name")
    )  # fmt: skip
    kinds = dict(EventKind.choices)
    url = record_urls("referrals:detail")
    return [
        Entry(
            at=at,
            title=f"{kinds.get(kind, kind)}: {type_name}",
            byline=actor or "",
            description=f"{Referral.label_of(reference)}. {note}".strip(),
            url=url(referral_id),
        )
        for at, kind, note, referral_id, reference, type_name, actor in activities
    ]


def find_referral(user, reference: str):
    """A referral by its reference (REF-2026-000123), if the user can see it."""
    from django.urls import reverse

    from referrals.models import Referral

    if not reference.startswith("REF-"):
        return None
    pk = Referral.objects.visible_to(user).filter(reference=reference).values_list("pk")[:1]
    found = list(pk)
    return reverse("referrals:detail", args=[found[0][0]]) if found else None


def no_two_open_referrals_to_one_service(kept, merged) -> None:
    """A child has one open referral to a service at a time: two records each with one to
    the same service are not merged until one is withdrawn or closed."""
    from django.db.models import Exists, OuterRef

    from config.errors import DomainError
    from referrals.models import Referral

    theirs = Referral.objects.open().filter(pupil=kept, service=OuterRef("service"))
    clash = (
        Referral.objects.open().filter(pupil=merged).filter(Exists(theirs))
        .select_related("service").first()
    )  # fmt: skip
    if clash is not None:
        raise DomainError(
            f"Both records have an open referral to {clash.service}: withdraw or close one "
            "first, then merge.",
            field="kept",
        )
