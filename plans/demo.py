"""Demo plans: a PSP with targets at the SENCO's school, and a part-time timetable."""

import datetime

from accounts.models import User
from plans import services
from plans.models import PastoralSupportPlan
from pupils.models import Pupil


def seed_plans(today: datetime.date) -> None:
    senco = User.objects.get(email="senco@northmoor.example")
    if PastoralSupportPlan.objects.filter(created_by=senco).exists():
        return
    school = senco.memberships.order_by("pk").first().organisation.school
    pupils = list(
        Pupil.objects.filter(enrolments__school=school, enrolments__end_date__isnull=True).order_by(
            "pk"
        )[20:22]
    )
    if len(pupils) < 2:
        return
    psp = services.create_psp(
        senco,
        pupil=pupils[0],
        school=school,
        start_date=today - datetime.timedelta(weeks=4),
        people_involved="The pupil, mother, SENCO, form tutor, school nurse",
        pupil_views="I want to stop getting sent out. Break times are the worst.",
        parent_views="He is calmer at home when he knows what is happening next.",
        areas_of_concern="Leaving lessons without permission; conflict at break times",
        interventions_tried="Report card; mentor; seating plan changes",
    )
    for description, measure in [
        ("Stays in every maths lesson for the whole lesson", "Teacher's lesson log"),
        ("Uses the time-out card instead of walking out", "Card use recorded by the mentor"),
        ("No incidents at lunchtime for two weeks running", "Lunchtime supervisor's log"),
    ]:
        services.add_target(
            senco,
            psp,
            description=description,
            strategies="Agreed calm space; check-in each morning",
            who_does_what="Mentor checks in; class teacher prompts; parent praises at home",
            success_measure=measure,
        )
    services.notify_part_time_timetable(
        senco,
        pupil=pupils[1],
        school=school,
        reason="Gradual return after a long absence with anxiety",
        hours_per_week=15,
        start_date=today - datetime.timedelta(weeks=2),
        end_date=today + datetime.timedelta(weeks=4),
        return_plan="One more afternoon each week until full time",
        next_review_date=today + datetime.timedelta(days=7),
        consent_given_by="Mother",
        consent_given_on=today - datetime.timedelta(weeks=2, days=1),
    )
