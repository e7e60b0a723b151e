from django.apps import AppConfig


class ExclusionsConfig(AppConfig):
    name = "exclusions"
    verbose_name = "Suspensions and exclusions"

    def ready(self):
        from pupils import timeline

        timeline.register(exclusion_timeline)


def exclusion_timeline(user, pupil):
    """Every step of the pupil's suspensions and exclusions the user may see."""
    from exclusions.models import Exclusion, ExclusionActivity
    from pupils.timeline import Entry

    visible = Exclusion.objects.visible_to(user).filter(pupil=pupil)
    activities = ExclusionActivity.objects.filter(exclusion__in=visible).select_related(
        "exclusion", "actor"
    )
    return [
        Entry(
            at=activity.at,
            title=f"{activity.exclusion.get_kind_display()}: {activity.get_kind_display()}",
            byline=activity.actor.full_name if activity.actor else "",
            description=activity.note[:300],
            url=activity.exclusion.get_absolute_url(),
        )
        for activity in activities
    ]
