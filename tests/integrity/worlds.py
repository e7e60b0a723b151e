"""A whole authority's worth of records, built through the services as users would build them:
schools on a calendar, pupils, referrals at every step, open and closed cases with their
actions, contacts and reviews, plans, a suspension and an upheld permanent exclusion, their
deadlines, notifications in the outbox, and an API token. Two of these side by side are the
blast-radius test's worlds."""

import datetime
from types import SimpleNamespace

from accounts import services as account_services
from accounts.models import Membership, OrganisationKind, Role
from cases import reviews
from cases import services as case_services
from deadlines import services as deadline_services
from deadlines.models import InsetDay
from exclusions import services as exclusion_services
from exclusions.models import ReasonCode
from plans import services as plan_services
from pupils.models import CareStatus, Relationship
from referrals import services as referral_services
from referrals.models import BOSS_CODE, PRT_CODE
from tests.accounts.factories import (
    GatewayFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VirtualSchoolFactory,
)
from tests.cases.factories import ServiceSettingsFactory
from tests.conftest import install_calendar
from tests.deadlines.factories import (
    NotificationFailedFactory,
    NotificationPendingFactory,
    NotificationUnknownFactory,
)
from tests.pupils.factories import PupilContactFactory, SchoolFactory, pupil_at
from tests.referrals.factories import ReferralTypeFactory, checklist_ticked

D = datetime.date
# A Monday in term on the worlds' calendar (the fixture calendar of tests/conftest.py).
TODAY = datetime.datetime(2026, 3, 2, 10, 0)


def build_world(name: str, *, real_codes: bool = False) -> SimpleNamespace:
    """``real_codes``: this world's services carry the codes the seeds' rules look for (BOSS
    through the PRT); organisation codes are unique, so only one world can."""
    w = SimpleNamespace(name=name)
    w.authority = LocalAuthorityFactory(name=f"{name} Borough Council")
    install_calendar(w.authority)

    def service(code, label, **fields):
        return OrganisationFactory(
            code=code, name=label, kind=OrganisationKind.SERVICE, local_authority=w.authority,
            **fields,
        )  # fmt: skip

    w.boss = service(BOSS_CODE if real_codes else f"boss-{name}", f"BOSS {name}")
    w.bass = service(f"bass-{name}", f"BASS {name}")
    w.officer_service = service(f"behaviour-officer-{name}", f"Behaviour officer {name}")
    w.prt = GatewayFactory(
        code=PRT_CODE if real_codes else f"prt-{name}", name=f"PRT {name}",
        local_authority=w.authority,
    )  # fmt: skip
    w.virtual_school = VirtualSchoolFactory(local_authority=w.authority)
    ServiceSettingsFactory(service=w.boss, maximum_involvement_weeks=22)
    ServiceSettingsFactory(
        service=w.officer_service, contact_parent_on_allocation=True, confidential=True
    )
    ServiceSettingsFactory(service=w.bass, monitors_part_time_timetables=True)
    w.school = SchoolFactory(organisation__local_authority=w.authority, name=f"Oak {name}")
    w.other_school = SchoolFactory(organisation__local_authority=w.authority, name=f"Elm {name}")

    def person(role, organisation):
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    w.senco = person(Role.SCHOOL_STAFF, w.school.organisation)
    # The school's system hears of changes: every referral, exclusion and deadline below
    # writes an event for it, and none for the other world's.
    w.webhook, _ = deadline_services.register_webhook(
        w.senco, school=w.school, url=f"https://mis-{name}.example.org/events"
    )
    w.other_senco = person(Role.SCHOOL_STAFF, w.other_school.organisation)
    w.screener = person(Role.GATEWAY_SCREENER, w.prt)
    w.caseworker = person(Role.CASEWORKER, w.boss)
    w.colleague = person(Role.CASEWORKER, w.boss)
    w.manager = person(Role.SERVICE_MANAGER, w.boss)
    w.officer = person(Role.CASEWORKER, w.officer_service)
    w.officer_manager = person(Role.SERVICE_MANAGER, w.officer_service)
    w.bass_manager = person(Role.SERVICE_MANAGER, w.bass)
    w.bass_worker = person(Role.CASEWORKER, w.bass)
    w.vs_officer = person(Role.VIRTUAL_SCHOOL_OFFICER, w.virtual_school)
    w.admin = person(Role.LA_ADMINISTRATOR, w.authority)
    w.exclusions_officer = person(Role.EXCLUSIONS_OFFICER, w.authority)
    w.la_manager = person(Role.LA_MANAGER, w.authority)
    w.leaver_membership = MembershipFactory(
        user=UserFactory(), organisation=w.school.organisation, role=Role.SCHOOL_STAFF
    )

    w.boss_type = ReferralTypeFactory(
        code=f"boss-individual-{name}", name=f"BOSS individual {name}", service=w.boss,
        gateway=w.prt,
    )  # fmt: skip
    w.bass_type = ReferralTypeFactory(code=f"bass-{name}", name=f"BASS {name}", service=w.bass)
    w.officer_type = ReferralTypeFactory(
        code=f"bex2-{name}", name=f"B/ex2 {name}", service=w.officer_service,
        allows_incomplete=True,
    )  # fmt: skip
    w.parent_type = ReferralTypeFactory(
        code=f"bex1-{name}", name=f"B/ex1 {name}", service=w.officer_service,
        questions=["parent"],
    )  # fmt: skip

    def pupil(first, **fields):
        return pupil_at(w.school, legal_first_name=first, legal_last_name=name, **fields)

    w.pupils = {
        key: pupil(key.title())
        for key in ["draft", "sent", "asked", "accepted", "closed", "officer", "plans",
                    "suspended", "excluded", "spare"]
    }  # fmt: skip
    # Looked after: the virtual school is told of the referral, the case and its closing.
    w.pupils["case"] = pupil("Case", care_status=CareStatus.LOOKED_AFTER)
    w.looked_after = pupil("Looked", care_status=CareStatus.LOOKED_AFTER)
    PupilContactFactory(
        pupil=w.pupils["case"], relationship=Relationship.PARENT_CARER, email=f"p@{name}.example"
    )

    def sent(key, kind=None):
        referral = referral_services.start_referral(
            w.senco, pupil=w.pupils[key], referral_type=kind or w.boss_type, school=w.school
        )
        referral_services.save_answers(
            w.senco, referral, reason="Escalating behaviour", consent_given_by="Jo (mother)",
            consent_given_on=D(2026, 2, 27), consent_method="phone",
            previous_step_started=D(2025, 11, 3), interventions_tried="Mentoring",
            virtual_school_consulted_on=D(2026, 2, 26), virtual_school_consulted_with="Head",
        )  # fmt: skip
        return referral_services.submit_referral(w.senco, referral)

    def accepted(key, kind=None):
        referral = sent(key, kind)
        screener = w.screener if referral.gateway_id else w.officer_manager
        return referral_services.accept_referral(
            screener, referral, checklist=checklist_ticked(referral)
        )

    w.draft = referral_services.start_referral(
        w.senco, pupil=w.pupils["draft"], referral_type=w.boss_type, school=w.school
    )
    w.submitted = sent("sent")
    w.asked = sent("asked")
    referral_services.request_more_information(w.screener, w.asked, question="Which PSP?")
    w.accepted = accepted("accepted")
    w.case = case_services.allocate_referral(w.manager, accepted("case"), caseworker=w.caseworker)
    w.action = case_services.agree_action(
        w.caseworker, w.case, description="Observe lessons", owner=w.caseworker,
        due_date=D(2026, 3, 13),
    )  # fmt: skip
    w.contact = case_services.record_contact(
        w.caseworker, w.case, date=D(2026, 3, 2), kind="school_visit", participants="SENCO",
        duration_minutes=60, notes="First visit",
    )  # fmt: skip
    w.meeting = case_services.record_meeting(
        w.caseworker, w.case, date=D(2026, 3, 2), attendees="SENCO, parent",
        virtual_school_attended=False, next_steps="Review in four weeks",
    )  # fmt: skip
    w.bip = plan_services.write_bip(
        w.caseworker, w.case, understanding_of_needs="Anxiety", strategies="Calm space",
        targets="Attends lessons", who_does_what="SENCO", next_review_date=D(2026, 4, 1),
    )  # fmt: skip
    reviews.open_reviews(None, D(2026, 1, 1), "case", [w.case])
    w.review = w.case.reviews.get()
    w.closed_case = case_services.allocate_referral(
        w.manager, accepted("closed"), caseworker=w.caseworker
    )
    case_services.close_case(
        w.caseworker, w.closed_case, reason="risk_reduced", risk_continues=False
    )
    w.officer_case = case_services.allocate_referral(
        w.officer_manager, accepted("officer", w.officer_type), caseworker=w.officer
    )

    w.psp = plan_services.create_psp(
        w.senco, pupil=w.pupils["plans"], school=w.school, start_date=D(2026, 1, 12),
        people_involved="Pupil, mother, SENCO", pupil_views="Calm adults help",
        parent_views="Needs routine", areas_of_concern="Walking out",
        interventions_tried="Mentoring",
    )  # fmt: skip
    w.target = plan_services.add_target(
        w.senco, w.psp, description="Stay in class", strategies="Time out card",
        who_does_what="Mentor daily", success_measure="Behaviour log",
    )  # fmt: skip
    w.timetable = plan_services.notify_part_time_timetable(
        w.senco, pupil=w.pupils["plans"], school=w.school, reason="Anxiety on return",
        hours_per_week=15, start_date=D(2026, 3, 2), end_date=D(2026, 3, 27),
        return_plan="A lesson more each week", next_review_date=D(2026, 3, 13),
        consent_given_by="Jo (mother)", consent_given_on=D(2026, 2, 27),
    )  # fmt: skip
    w.risk = plan_services.record_risk_assessment(
        w.senco, pupil=w.pupils["plans"], school=w.school, triggers="Noise",
        early_signs="Pacing", de_escalation="Quiet room", support_measures="Key adult",
        review_date=D(2026, 4, 20),
    )  # fmt: skip
    w.pep = plan_services.record_pep_meeting(
        w.senco, pupil=w.looked_after, school=w.school, date=D(2026, 2, 26),
        attendees="Designated teacher, carer", targets="Reading",
    )  # fmt: skip

    reason = ReasonCode.objects.filter(code="VA")
    common = {"description": "Threatened a member of staff", "parents_told_how": "Phone",
              "misses_public_exam": False}  # fmt: skip
    w.suspension = exclusion_services.notify_exclusion(
        w.senco, pupil=w.pupils["suspended"], school=w.school, kind="suspension",
        reasons=reason, start_date=D(2026, 3, 2), sessions=12, parents_told_on=D(2026, 3, 2),
        **common,
    )  # fmt: skip
    w.permanent = exclusion_services.notify_exclusion(
        w.senco, pupil=w.pupils["excluded"], school=w.school, kind="permanent",
        reasons=reason, start_date=D(2026, 2, 23), parents_told_on=D(2026, 2, 23), **common,
    )  # fmt: skip
    exclusion_services.record_board_decision(
        w.senco, w.permanent, reinstate=False, decided_on=D(2026, 3, 2),
        parents_told_on=D(2026, 3, 2),
    )  # fmt: skip

    w.pending = NotificationPendingFactory(recipient=w.senco)
    w.failed = NotificationFailedFactory(recipient=w.screener)
    w.unknown = NotificationUnknownFactory(recipient=w.caseworker)
    w.token, _ = account_services.issue_api_token(
        w.senco, w.senco, verified=True, name=f"{name} MIS"
    )
    w.inset_day = InsetDay.objects.filter(authority=w.authority).first()
    w.memberships = Membership.objects.filter(organisation__local_authority=w.authority)
    return w
