from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Casework"

    def ready(self):
        from pupils import timeline

        timeline.register(case_timeline)


def case_timeline(user, pupil):
    """Opening, closing and reopening of the pupil's cases that the user may see."""
    from cases.models import Case, CaseActivity
    from pupils.timeline import Entry

    visible = Case.objects.visible_to(user).filter(pupil=pupil)
    activities = CaseActivity.objects.filter(
        case__in=visible, kind__in=["opened", "closed", "reopened", "reallocated"]
    ).select_related("case__service", "actor")
    return [
        Entry(
            at=activity.at,
            title=f"{activity.get_kind_display()}: {activity.case.service.name}",
            byline=activity.actor.full_name if activity.actor else "",
            url=activity.case.get_absolute_url(),
        )
        for activity in activities
    ]
