from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Schools and pupils"

    def ready(self):
        from config.choices import read_again_when_changed
        from pupils.models import School

        register_personal_data()
        read_again_when_changed(School)
        from accounts import home

        home.register(home_page)


def home_page(request, membership) -> dict:
    """The search box for those who look pupils up; a school's roll; the virtual school's
    cohort; the authority's number of schools."""
    from django.db.models import Count, Q

    from accounts.models import Role
    from accounts.policy import active_memberships
    from pupils.forms import PupilSearchForm
    from pupils.models import CareStatus, Pupil, School

    user, role = request.user, membership.role
    context = {}
    if role in {Role.SCHOOL_STAFF, Role.VIRTUAL_SCHOOL_OFFICER, Role.GATEWAY_SCREENER,
                Role.CASEWORKER, Role.SERVICE_MANAGER}:  # fmt: skip
        context["search_form"] = PupilSearchForm()
    if role == Role.SCHOOL_STAFF:
        school_orgs = [m.organisation_id for m in active_memberships(user) if m.role == role]
        context["schools"] = (
            School.objects.visible_to(user)
            .filter(organisation__in=school_orgs)
            .annotate(on_roll=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        )
    elif role == Role.VIRTUAL_SCHOOL_OFFICER:
        counts = dict(
            Pupil.objects.visible_to(user)
            .values_list("care_status")
            .annotate(n=Count("pk"))
            .values_list("care_status", "n")
        )
        context["looked_after"] = counts.get(CareStatus.LOOKED_AFTER, 0)
        context["previously_looked_after"] = counts.get(CareStatus.PREVIOUSLY_LOOKED_AFTER, 0)
    elif role == Role.LA_ADMINISTRATOR:
        from pupils.models import ImportJob, ImportKind

        context["school_count"] = School.objects.visible_to(user).count()
        reports = ImportJob.objects.visible_to(user).filter(
            kind=ImportKind.TRANSFER_FILE, report__contains=[{"outcome": "to_confirm"}]
        )
        context["matches_to_confirm"] = sum(
            job.counts().get("to_confirm", 0) for job in reports.only("report")[:20]
        )
    return context


def register_personal_data():
    """The pupil, their parents, carers and professionals, their care and SEN history: anonymised
    by retention and erasure, gathered for a subject access request (audit.personal_data)."""
    from audit.personal_data import ANONYMISED, holds, section, subjects
    from pupils.access import subject_access_pupils
    from pupils.models import CareEpisode, Pupil, PupilContact, SenEpisode

    subjects(subject_access_pupils)
    holds(
        Pupil,
        lambda pupil: Pupil.objects.filter(pk=pupil.pk),
        anonymised={
            "legal_first_name": ANONYMISED, "legal_last_name": ANONYMISED,
            "preferred_first_name": "", "preferred_last_name": "",
            "upn": lambda row: f"Z{row.pk:012d}"[:13],
            "date_of_birth": lambda row: row.date_of_birth.replace(month=1, day=1),
        },
    )  # fmt: skip
    holds(PupilContact, lambda pupil: pupil.contacts.all(), delete=True)
    holds(CareEpisode, lambda pupil: pupil.care_episodes.all(),
          anonymised={"responsible_authority": ""})  # fmt: skip
    holds(SenEpisode, lambda pupil: pupil.sen_episodes.all())
    section("pupil", lambda pupil, person: [{
        "upn": pupil.upn, "legal_name": pupil.legal_name, "display_name": pupil.display_name,
        "date_of_birth": pupil.date_of_birth, "gender": pupil.get_gender_display(),
        "care_status": pupil.get_care_status_display(),
        "sen_status": pupil.get_sen_status_display(),
    }])  # fmt: skip
    section("schools", lambda pupil, person: [
        {"school": e.school.name, "from": e.start_date, "to": e.end_date}
        for e in pupil.enrolments.select_related("school")
    ])  # fmt: skip
    section("special educational needs", lambda pupil, person: [
        {"provision": e.get_provision_display(), "primary need": e.get_primary_need_display(),
         "from": e.start_date, "to": e.end_date}
        for e in pupil.sen_episodes.all()
    ])  # fmt: skip
    section("contacts", lambda pupil, person: [
        {"name": person(c.name), "relationship": c.get_relationship_display(),
         "phone": person(c.phone)}
        for c in pupil.contacts.all()
    ])  # fmt: skip
