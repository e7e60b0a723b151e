import datetime

import factory
from factory.django import DjangoModelFactory

from plans.models import PartTimeTimetable, PastoralSupportPlan, PepMeeting, PlanStatus, Target


class PspActiveFactory(DjangoModelFactory):
    class Meta:
        model = PastoralSupportPlan

    start_date = datetime.date(2026, 1, 12)
    people_involved = "Riley, mother, SENCO, form tutor"
    pupil_views = "I want to stay at this school."
    parent_views = "We want him to have a fresh start."
    areas_of_concern = "Leaving lessons; verbal aggression"
    interventions_tried = "Mentor, report card"
    next_review_date = datetime.date(2026, 2, 23)


class PspEndedFactory(PspActiveFactory):
    status = PlanStatus.ENDED


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    description = factory.Sequence(lambda n: f"Stays in maths lessons {n} times a week")
    strategies = "Time-out card; seat near the door"
    who_does_what = "Teacher prompts; mentor checks daily"
    success_measure = "Lesson log"


class TimetableActiveFactory(DjangoModelFactory):
    class Meta:
        model = PartTimeTimetable

    reason = "Anxiety after a long absence"
    hours_per_week = 15
    start_date = datetime.date(2026, 2, 2)
    end_date = datetime.date(2026, 3, 27)
    return_plan = "One extra morning each fortnight"
    next_review_date = datetime.date(2026, 3, 9)
    consent_given_by = "Mother"
    consent_given_on = datetime.date(2026, 1, 30)


class TimetableEndedFactory(TimetableActiveFactory):
    """Back to full time (DfE guidance: a part-time timetable is temporary)."""

    status = PlanStatus.ENDED


class PepMeetingFactory(DjangoModelFactory):
    """A Personal Education Plan meeting held (seed 002: one every term)."""

    class Meta:
        model = PepMeeting

    date = datetime.date(2026, 1, 20)
    attendees = "Designated teacher, social worker, carer"
    targets = "Reading age up a year; attend every maths lesson"
