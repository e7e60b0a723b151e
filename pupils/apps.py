from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Schools and pupils"

    def ready(self):
        register_personal_data()


def register_personal_data():
    """The pupil, their parents, carers and professionals, and their care history: anonymised
    by retention and erasure, gathered for a subject access request (audit.personal_data)."""
    from audit.personal_data import ANONYMISED, holds, section
    from pupils.models import CareEpisode, Pupil, PupilContact

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
    section("contacts", lambda pupil, person: [
        {"name": person(c.name), "relationship": c.get_relationship_display(),
         "phone": person(c.phone)}
        for c in pupil.contacts.all()
    ])  # fmt: skip
