"""Every record with a status has one table of the changes it may make, and a factory for each
status, so that a test builds a record in the state it needs by name (``CaseClosedFactory``),
never by writing a status string. A new model with a status fails here until it has both."""

import pghistory.models
import pytest
from django.apps import apps

from cases.models import TRANSITIONS as CASE_TRANSITIONS
from cases.models import Case, CaseStatus
from deadlines.models import (
    DEADLINE_TRANSITIONS,
    OUTBOX_TRANSITIONS,
    Deadline,
    DeadlineStatus,
    Notification,
    NotificationStatus,
    WebhookDelivery,
)
from exclusions.models import LETTER_TRANSITIONS, Exclusion, Letter, LetterStatus
from exclusions.models import TRANSITIONS as EXCLUSION_TRANSITIONS
from exclusions.models import Status as ExclusionStatus
from plans.models import TRANSITIONS as PLAN_TRANSITIONS
from plans.models import PartTimeTimetable, PastoralSupportPlan, PlanStatus
from pupils.models import IMPORT_TRANSITIONS, CareEpisode, ImportJob, ImportStatus
from referrals.models import TRANSITIONS as REFERRAL_TRANSITIONS
from referrals.models import Referral, Status
from tests.cases import factories as case_factories
from tests.deadlines import factories as deadline_factories
from tests.exclusions import factories as exclusion_factories
from tests.plans import factories as plan_factories
from tests.pupils import factories as pupil_factories
from tests.pupils.factories import pupil_at
from tests.referrals import factories as referral_factories

R, C, P, X, D, U = (referral_factories, case_factories, plan_factories, exclusion_factories,
                    deadline_factories, pupil_factories)  # fmt: skip

STATES = {
    Referral: (REFERRAL_TRANSITIONS, {
        Status.DRAFT: R.ReferralDraftFactory,
        Status.SUBMITTED: R.ReferralSubmittedFactory,
        Status.MORE_INFORMATION: R.ReferralMoreInformationFactory,
        Status.ACCEPTED: R.ReferralAcceptedFactory,
        Status.DECLINED: R.ReferralDeclinedFactory,
        Status.REDIRECTED: R.ReferralRedirectedFactory,
        Status.WITHDRAWN: R.ReferralWithdrawnFactory,
        Status.ALLOCATED: R.ReferralAllocatedFactory,
        Status.CLOSED: R.ReferralClosedFactory,
    }),
    Case: (CASE_TRANSITIONS, {
        CaseStatus.OPEN: C.CaseOpenFactory,
        CaseStatus.CLOSED: C.CaseClosedFactory,
    }),
    PastoralSupportPlan: (PLAN_TRANSITIONS, {
        PlanStatus.ACTIVE: P.PspActiveFactory,
        PlanStatus.ENDED: P.PspEndedFactory,
    }),
    PartTimeTimetable: (PLAN_TRANSITIONS, {
        PlanStatus.ACTIVE: P.TimetableActiveFactory,
        PlanStatus.ENDED: P.TimetableEndedFactory,
    }),
    Exclusion: (EXCLUSION_TRANSITIONS, {
        ExclusionStatus.NOTIFIED: X.PermanentExclusionFactory,
        ExclusionStatus.WITHDRAWN: X.SuspensionWithdrawnFactory,
        ExclusionStatus.REINSTATED: X.PermanentExclusionReinstatedFactory,
        ExclusionStatus.UPHELD: X.PermanentExclusionUpheldFactory,
        ExclusionStatus.UNDER_REVIEW: X.PermanentExclusionUnderReviewFactory,
        ExclusionStatus.RECONSIDER: X.PermanentExclusionReconsiderFactory,
        ExclusionStatus.CONCLUDED: X.PermanentExclusionConcludedFactory,
    }),
    Letter: (LETTER_TRANSITIONS, {
        LetterStatus.DRAFT: X.LetterDraftFactory,
        LetterStatus.SENT: X.LetterSentFactory,
    }),
    ImportJob: (IMPORT_TRANSITIONS, {
        ImportStatus.QUEUED: U.ImportJobQueuedFactory,
        ImportStatus.RUNNING: U.ImportJobRunningFactory,
        ImportStatus.DONE: U.ImportJobDoneFactory,
        ImportStatus.REFUSED: U.ImportJobRefusedFactory,
        ImportStatus.FAILED: U.ImportJobFailedFactory,
    }),
    Deadline: (DEADLINE_TRANSITIONS, {
        DeadlineStatus.OPEN: D.DeadlineOpenFactory,
        DeadlineStatus.MET: D.DeadlineMetFactory,
        DeadlineStatus.MISSED: D.DeadlineMissedFactory,
        DeadlineStatus.WAIVED: D.DeadlineWaivedFactory,
        DeadlineStatus.CANCELLED: D.DeadlineCancelledFactory,
    }),
    Notification: (OUTBOX_TRANSITIONS, {
        NotificationStatus.PENDING: D.NotificationPendingFactory,
        NotificationStatus.SENDING: D.NotificationSendingFactory,
        NotificationStatus.SENT: D.NotificationSentFactory,
        NotificationStatus.UNKNOWN: D.NotificationUnknownFactory,
        NotificationStatus.FAILED: D.NotificationFailedFactory,
    }),
    WebhookDelivery: (OUTBOX_TRANSITIONS, {
        NotificationStatus.PENDING: D.WebhookDeliveryPendingFactory,
        NotificationStatus.SENDING: D.WebhookDeliverySendingFactory,
        NotificationStatus.SENT: D.WebhookDeliverySentFactory,
        NotificationStatus.UNKNOWN: D.WebhookDeliveryUnknownFactory,
        NotificationStatus.FAILED: D.WebhookDeliveryFailedFactory,
    }),
}  # fmt: skip


# A ``status`` that names what a record is rather than a step it moves through.
NOT_A_WORKFLOW = {
    CareEpisode: "a period of care is of one kind (looked after, child in need…) from start to end",
}


def models_with_a_status() -> set:
    """The product's models (not their history tables) whose ``status`` is a set of choices."""
    found = set()
    for model in apps.get_models():
        if issubclass(model, pghistory.models.Event):
            continue
        fields = {field.name: field for field in model._meta.get_fields()}
        if "status" in fields and getattr(fields["status"], "choices", None):
            found.add(model)
    return found


def test_every_model_with_a_status_is_listed_here():
    assert models_with_a_status() == set(STATES) | set(NOT_A_WORKFLOW)


@pytest.mark.parametrize("model", list(STATES), ids=lambda model: model.__name__)
def test_each_table_names_every_status_once_and_only_statuses(model):
    table, factories = STATES[model]
    statuses = set(model._meta.get_field("status").get_choices(include_blank=False))
    statuses = {value for value, _ in statuses}
    assert set(table) == statuses
    assert all(targets <= statuses for targets in table.values())
    assert set(factories) == statuses


@pytest.fixture
def needs(types, school, member):
    """What each model's factories cannot make up by themselves."""
    from accounts.models import Role

    def referral_fields(prefix=""):
        return {f"{prefix}referral_type": types["boss"], f"{prefix}school": school,
                f"{prefix}pupil": pupil_at(school)}  # fmt: skip

    caseworker = member(Role.CASEWORKER)
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    plan = lambda: {"pupil": pupil_at(school), "school": school, "created_by": staff}  # noqa: E731
    return {
        Referral: referral_fields,
        Case: lambda: {**referral_fields("referral__"), "caseworker": caseworker},
        PastoralSupportPlan: plan,
        PartTimeTimetable: plan,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(STATES), ids=lambda model: model.__name__)
def test_each_status_has_a_factory_that_builds_a_record_in_it(model, needs, deadline_kinds):
    _, factories = STATES[model]
    for status, factory in factories.items():
        record = factory(**needs.get(model, dict)())
        record.refresh_from_db()
        assert (type(record), record.status) == (model, status), factory.__name__
