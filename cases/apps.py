from django.apps import AppConfig

from deadlines.codes import KindCode


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casework"

    def ready(self):
        from pupils import timeline

        timeline.register(case_timeline)
        expect_deadlines()
        register_personal_data()
        from cases.access import involved_through_cases, timetables_monitored
        from plans.access import register_timetable_monitors
        from pupils.access import register_involvement

        register_involvement(involved_through_cases)
        register_timetable_monitors(timetables_monitored)
        from deadlines import operations

        operations.register(reviews_with_nobody_to_tell)
        register_home_and_cohort()
        from pupils import events

        events.on_care_status_changed(tell_about_care_status)


def tell_about_care_status(actor, pupil, status, start_date, *, from_import=False):
    """Seed 002: the virtual school follows every child looked after or previously looked
    after, and the services working with a child need to know when they come into or leave
    care: the caseworkers of the pupil's open cases and the virtual school of the authority
    looking after them (else of their school's authority) are told. A change loaded from a
    file is in the file's report, which the virtual school reads: its caseworkers are told."""
    from django.urls import reverse

    from accounts.selectors import virtual_school_officers
    from cases.models import Case, CaseStatus
    from deadlines.services import notify_people
    from pupils.models import CareStatus, Enrolment

    people = [case.caseworker for case in Case.objects.filter(
        pupil=pupil, status=CaseStatus.OPEN).select_related("caseworker")]  # fmt: skip
    authority = None if from_import else pupil.looked_after_by_id or next(
        (e.school.organisation.local_authority_id
         for e in Enrolment.objects.current().filter(pupil=pupil)
         .select_related("school__organisation")),
        None,
    )  # fmt: skip
    if authority is not None:
        people += virtual_school_officers(authority)
    if not people:
        return
    notify_people(
        actor, people, subject=f"Care status changed: {pupil}",
        body=f"{pupil} is recorded as {CareStatus(status).label.lower()} from "
        f"{start_date:%-d %B %Y}.",
        url=reverse("pupils:detail", args=[pupil.pk]),
    )  # fmt: skip


def register_home_and_cohort():
    from accounts import home
    from cases.home import home_page
    from cases.models import Case, CaseStatus
    from pupils import cohort

    home.register(home_page)
    from accounts import finder

    finder.register(find_cases)
    cohort.register(cohort.Column(
        "open_cases", "Open cases",
        lambda user: Case.objects.visible_to(user).filter(status=CaseStatus.OPEN), order=30,
    ))  # fmt: skip


def reviews_with_nobody_to_tell(authority_ids, today):
    """Seed 004: overdue reviews go to the service's managers; a service with none, in an
    authority with no LA administrator either, leaves them with nobody to tell."""
    from cases.reviews import overdue_with_nobody_to_tell
    from deadlines.operations import Finding

    return Finding(
        "Overdue quarterly reviews with nobody to tell",
        overdue_with_nobody_to_tell(authority_ids, today),
        "Their services have no active service manager. Give each service a manager.",
    )


def expect_deadlines():
    """What ``reconcile_deadlines`` puts back for cases and their quarterly reviews: nothing
    but its closing cancels an open case's deadlines (its actions, its clocks)."""
    from cases.models import Case, CaseStatus, Review, ReviewDecision
    from cases.reviews import review_clock
    from cases.services import maximum_involvement_clock
    from deadlines.expectations import expect_clock, expect_kept

    open_cases = lambda: Case.objects.filter(status=CaseStatus.OPEN)  # noqa: E731
    expect_kept(open_cases, because="the case is still open")
    expect_clock(
        KindCode.BOSS_MAXIMUM_INVOLVEMENT,
        lambda: open_cases().filter(service__case_settings__maximum_involvement_weeks__gt=0),
        because="the case is open, and its service withdraws after a maximum number of weeks",
        build=maximum_involvement_clock,
    )
    expect_clock(
        KindCode.QUARTERLY_REVIEW,
        lambda: Review.objects.filter(decision=ReviewDecision.PENDING),
        because="the quarterly review has not been decided",
        build=review_clock,
    )


def case_timeline(user, pupil):
    """Opening, closing and reopening of the pupil's cases that the user may see."""
    from cases.models import Case, CaseActivityKind
    from config.tables import record_urls
    from pupils.timeline import Entry

    # The steps joined to the cases the user may see, not a subquery of them (whose rules
    # Django copies and renames on every read).
    activities = (
        Case.objects.visible_to(user)
        .filter(pupil=pupil, activities__kind__in=["opened", "closed", "reopened", "reallocated"])
        .order_by()
        .values_list("activities__at", "activities__kind", "pk", "service__name",
                     "activities__actor__full_name")
    )  # fmt: skip
    kinds = dict(CaseActivityKind.choices)
    url = record_urls("cases:detail")
    return [
        Entry(
            at=at, title=f"{kinds.get(kind, kind)}: {service}", byline=actor or "", url=url(case_id)
        )
        for at, kind, case_id, service, actor in activities
    ]


def register_personal_data():
    """Contacts (B/ex3), meetings, evaluations (B/ex6), closure notes and reviews."""
    from django.db.models import Exists, OuterRef, Q

    from audit.personal_data import REMOVED, holds, retention, section
    from cases.models import (
        Case,
        CaseActivity,
        Contact,
        Evaluation,
        MultiAgencyMeeting,
        Review,
    )
    from pupils.models import Pupil

    def closed_cases_past_their_rule(today, rule):
        """Pupils whose every case is closed, and who have reached the kept-until age."""
        born_before = today.replace(year=today.year - rule.keep_until_age)
        from cases.models import CaseStatus

        open_case = Case.objects.filter(pupil=OuterRef("pk"), status=CaseStatus.OPEN)
        any_case = Case.objects.filter(pupil=OuterRef("pk"))
        return (
            Pupil.objects.filter(date_of_birth__lte=born_before)
            .filter(Exists(any_case))
            .exclude(Exists(open_case))
        )

    retention("case", closed_cases_past_their_rule)
    holds(Case, lambda pupil: Case.objects.filter(pupil=pupil),
          anonymised={"closure_note": REMOVED})  # fmt: skip
    holds(Contact, lambda pupil: Contact.objects.filter(case__pupil=pupil),
          anonymised={"notes": REMOVED, "participants": REMOVED})  # fmt: skip
    holds(CaseActivity, lambda pupil: CaseActivity.objects.filter(case__pupil=pupil),
          anonymised={"note": REMOVED})  # fmt: skip
    holds(MultiAgencyMeeting, lambda pupil: MultiAgencyMeeting.objects.filter(case__pupil=pupil),
          anonymised={"attendees": REMOVED, "next_steps": REMOVED})  # fmt: skip
    holds(Evaluation, lambda pupil: Evaluation.objects.filter(case__pupil=pupil),
          anonymised={"answers": REMOVED})  # fmt: skip
    holds(
        Review,
        lambda pupil: Review.objects.filter(Q(case__pupil=pupil) | Q(referral__pupil=pupil)),
        anonymised={"reason": REMOVED},
    )
    section("cases", lambda pupil, person: [
        {"service": c.service.name, "opened": c.opened_on, "closed": c.closed_on,
         "caseworker": person(c.caseworker.full_name),
         "contacts": [{"date": x.date, "kind": x.get_kind_display(), "notes": x.notes,
                       "with": person(x.participants)}
                      for x in Contact.objects.filter(case=c)]}
        for c in Case.objects.filter(pupil=pupil).select_related("service", "caseworker")
    ])  # fmt: skip


def find_cases(user, reference: str):
    """A case by its reference (CASE-000045), if the user can see it."""
    from accounts.finder import by_number
    from cases.models import Case

    pk = by_number(Case.REFERENCE_PREFIX, reference)
    if pk is None or not Case.objects.visible_to(user).filter(pk=pk).exists():
        return None
    return Case(pk=pk).get_absolute_url()
