"""Exclusions in each status, built directly without their deadlines (the statutory steps'
tests go through the services instead). A suspension stands once the head has notified it; a
permanent exclusion goes on to the governing board and, if upheld, to an independent review
panel (the 2012 Regulations)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from exclusions.models import (
    Exclusion,
    Kind,
    Letter,
    LetterStatus,
    LetterTemplate,
    PanelDecision,
    Situation,
)
from exclusions.models import Status as ExclusionStatus
from exclusions.rules import NoticeSent
from tests.accounts.factories import UserFactory
from tests.pupils.factories import PupilFactory, SchoolFactory


class SuspensionFactory(DjangoModelFactory):
    """A suspension that stands (notified earlier; built directly, without its deadlines)."""

    class Meta:
        model = Exclusion

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SubFactory(SchoolFactory)
    created_by = factory.SubFactory(UserFactory)
    kind = Kind.SUSPENSION
    start_date = datetime.date(2025, 11, 3)
    sessions = 10
    description = "Assault on a member of staff"
    parents_told_on = factory.SelfAttribute("start_date")
    parents_told_how = "Phone, then letter"
    board_told_on = factory.SelfAttribute("start_date")
    status = ExclusionStatus.NOTIFIED


class SuspensionWithdrawnFactory(SuspensionFactory):
    """The head withdrew the suspension before the board considered it."""

    status = ExclusionStatus.WITHDRAWN


class PermanentExclusionFactory(SuspensionFactory):
    """A permanent exclusion the governing board has still to consider."""

    kind = Kind.PERMANENT
    sessions = None
    start_date = datetime.date(2026, 3, 2)


class PermanentExclusionReinstatedFactory(PermanentExclusionFactory):
    status = ExclusionStatus.REINSTATED
    board_decided_on = datetime.date(2026, 3, 16)
    board_decision_note = "The board directs the pupil's reinstatement."


class PermanentExclusionUpheldFactory(PermanentExclusionFactory):
    """The board upheld it and told the parents: they may apply for an independent review."""

    status = ExclusionStatus.UPHELD
    board_decided_on = datetime.date(2026, 3, 16)
    board_decision_note = "The board upholds the head's decision."
    parents_told_of_decision_on = datetime.date(2026, 3, 17)
    parents_told_of_decision_how = NoticeSent.EMAIL


class PermanentExclusionUnderReviewFactory(PermanentExclusionUpheldFactory):
    status = ExclusionStatus.UNDER_REVIEW
    review_applied_on = datetime.date(2026, 3, 30)


class PermanentExclusionReconsiderFactory(PermanentExclusionUnderReviewFactory):
    """The panel sent it back to the board to reconsider."""

    status = ExclusionStatus.RECONSIDER
    panel_decided_on = datetime.date(2026, 4, 27)
    panel_decision = PanelDecision.RECOMMEND
    board_told_of_panel_on = datetime.date(2026, 4, 28)


class PermanentExclusionConcludedFactory(PermanentExclusionUpheldFactory):
    """Upheld, and the time to apply for a review has passed."""

    status = ExclusionStatus.CONCLUDED


class LetterDraftFactory(DjangoModelFactory):
    """The head's letter for a short suspension, written but not sent (its template is the
    national model letter, installed with the reference data)."""

    class Meta:
        model = Letter

    exclusion = factory.SubFactory(SuspensionFactory, sessions=4)
    situation = Situation.SUSPENSION_SHORT
    template = factory.LazyAttribute(
        lambda letter: LetterTemplate.objects.filter(
            situation=letter.situation, authority__isnull=True
        ).latest("version")
    )
    parts = factory.Dict({"signed_by": "A. Head, Headteacher"})
    written_by = factory.SelfAttribute("exclusion.created_by")
    status = LetterStatus.DRAFT


class LetterSentFactory(LetterDraftFactory):
    status = LetterStatus.SENT
    sent_on = datetime.date(2025, 11, 3)
    sent_how = NoticeSent.EMAIL
    sent_by = factory.SelfAttribute("written_by")
