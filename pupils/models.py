"""Schools, pupils, their enrolments, care status, SEN status and the people around them."""

import datetime

import pghistory
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from config.sync import UpdatedAtField
from config.upn import validate_upn
from pupils.years import national_curriculum_year, year_group_label


class Phase(models.TextChoices):
    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    MIDDLE = "middle", "Middle"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    PRU = "pru", "Pupil referral unit"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"


class SchoolType(models.TextChoices):
    MAINTAINED = "maintained", "Maintained"
    ACADEMY = "academy", "Academy"
    FREE = "free", "Free school"
    INDEPENDENT = "independent", "Independent"


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        from pupils.access import school_filter

        return self.filter(school_filter(user))


@pghistory.track()
class School(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="school"
    )
    urn = models.CharField("URN", max_length=6, unique=True)
    establishment_number = models.CharField(
        "LA establishment number", max_length=4, help_text="The DfE number's last four digits."
    )
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=30, choices=Phase.choices)
    school_type = models.CharField("type", max_length=20, choices=SchoolType.choices)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def dfe_number(self) -> str:
        return self.dfe_number_of(self.organisation.local_authority.la_number,
                                  self.establishment_number)  # fmt: skip

    @staticmethod
    def dfe_number_of(la_number: str, establishment_number: str) -> str:
        """The DfE number: the authority's LA number and the school's establishment number."""
        return f"{la_number}/{establishment_number}"


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "O", "Other or not stated"


class CareStatus(models.TextChoices):
    NONE = "none", "Not looked after, no social worker"
    LOOKED_AFTER = "cla", "Looked after (CLA)"
    PREVIOUSLY_LOOKED_AFTER = "pla", "Previously looked after (PLA)"
    CHILD_IN_NEED = "cin", "Child in need plan"
    CHILD_PROTECTION = "cp", "Child protection plan"

    @classmethod
    def virtual_school_cohort(cls):
        """Seed 002: the virtual school head oversees every CLA and PLA child."""
        return [cls.LOOKED_AFTER, cls.PREVIOUSLY_LOOKED_AFTER]

    @classmethod
    def with_social_worker(cls):
        """Seed 002: "children with a social worker" are CLA, CiN and CP (PLA have none)."""
        return [cls.LOOKED_AFTER, cls.CHILD_IN_NEED, cls.CHILD_PROTECTION]


class CareArrangement(models.TextChoices):
    """How a previously looked-after child left care (DfE, "Promoting the education of
    looked-after children and previously looked-after children", 2018, paragraph 6): the
    orders that make a child previously looked after."""

    ADOPTION = "adoption", "Adopted from care"
    SPECIAL_GUARDIANSHIP = "special_guardianship", "Special guardianship order"
    CHILD_ARRANGEMENTS = "child_arrangements", "Child arrangements order"


class SenStatus(models.TextChoices):
    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP = "ehcp", "Education, health and care plan (EHCP)"


class SenPrimaryNeed(models.TextChoices):
    """Primary need codes of the DfE school census."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"


def search_name():
    """A pupil's legal and preferred names in one string: the expression the
    ``pupil_names_trgm`` index is built on, which a search repeats exactly to use it (trigrams
    and ILIKE ignore case, so the index needs no lower-casing)."""
    return Concat(
        "legal_first_name", Value(" "), "legal_last_name", Value(" "),
        "preferred_first_name", Value(" "), "preferred_last_name",
        output_field=models.CharField(),
    )  # fmt: skip


class PupilQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The pupils the user's roles let them see; a duplicate merged into another record
        is nobody's to see (its records follow the kept one)."""
        from pupils.access import pupil_filter

        return self.filter(pupil_filter(user), merged_into__isnull=True)


@pghistory.track(exclude=["updated_at"])
class Pupil(models.Model):
    upn = models.CharField("UPN", max_length=13, unique=True, validators=[validate_upn])
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    care_status = models.CharField(
        max_length=10,
        choices=CareStatus.choices,
        default=CareStatus.NONE,
        help_text="The current status; its history is in care episodes.",
    )
    looked_after_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "local_authority"},
        help_text="The authority looking after (or that looked after) the child: its virtual "
        "school follows them to a school of any authority. Empty: the authority whose school "
        "the pupil attends.",
    )
    sen_status = models.CharField(max_length=20, choices=SenStatus.choices, default=SenStatus.NONE)
    sen_primary_need = models.CharField(max_length=10, choices=SenPrimaryNeed.choices, blank=True)
    pupil_premium = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when this record was a duplicate merged into another: hidden until the "
        "merge is undone.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            # One trigram index over every name a pupil goes by: a search for part of a name,
            # or a misspelt one, reads this one index (pupils.search).
            GinIndex(OpClass(search_name(), name="gin_trgm_ops"), name="pupil_names_trgm"),
            models.Index(fields=["date_of_birth"], name="pupil_dob"),
            models.Index(fields=["care_status"], name="pupil_care_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sen_status="none", sen_primary_need="")
                | ~models.Q(sen_status="none"),
                name="pupil_primary_need_only_with_sen",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_first_name or self.legal_first_name
        last = self.preferred_last_name or self.legal_last_name
        return f"{first} {last}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    def year_group(self, on: datetime.date | None = None) -> int:
        return national_curriculum_year(self.date_of_birth, on or timezone.localdate())

    @property
    def year_group_label(self) -> str:
        return year_group_label(self.year_group())

    @property
    def is_looked_after(self) -> bool:
        return self.care_status == CareStatus.LOOKED_AFTER

    @property
    def is_looked_after_or_previously(self) -> bool:
        return self.care_status in CareStatus.virtual_school_cohort()


class EnrolmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)


@pghistory.track()
class Enrolment(models.Model):
    """A pupil on roll at a school from ``start_date``; ``end_date`` is set when they leave."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "school"],
                condition=models.Q(end_date__isnull=True),
                name="one_current_enrolment_per_school",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrolment_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["school", "end_date"], name="enrolment_school_current")]

    def __str__(self):
        return f"{self.pupil} at {self.school}"


@pghistory.track()
class CareEpisode(models.Model):
    """A period with one care status; the open episode matches ``Pupil.care_status``."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="care_episodes")
    status = models.CharField(max_length=10, choices=CareStatus.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    responsible_authority = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a looked-after child: the authority looking after them.",
    )
    arrangement = models.CharField(
        max_length=30,
        choices=CareArrangement.choices,
        blank=True,
        help_text="For a previously looked-after child: the order under which they left care.",
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(end_date__isnull=True),
                name="one_open_care_episode",
            )
        ]

    def __str__(self):
        return f"{self.get_status_display()} from {self.start_date}"


class SenSource(models.TextChoices):
    SCHOOL = "school", "Recorded by the school"
    TRANSFER_FILE = "ctf", "From a Common Transfer File"


@pghistory.track()
class SenEpisode(models.Model):
    """A period of special educational provision, as the DfE's census and Common Transfer
    File record it (SEN support, or an education, health and care plan, each from a start
    date); the open episode matches ``Pupil.sen_status``. "No SEN" is the absence of one."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_episodes")
    provision = models.CharField(
        max_length=20,
        choices=[(value, label) for value, label in SenStatus.choices if value != "none"],
    )
    primary_need = models.CharField(max_length=10, choices=SenPrimaryNeed.choices, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=SenSource.choices, default=SenSource.SCHOOL)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"],
                condition=models.Q(end_date__isnull=True),
                name="one_open_sen_episode",
                violation_error_message="The pupil's SEN status was changed by someone else "
                "at the same time: look again.",
            )
        ]

    def __str__(self):
        return f"{self.get_provision_display()} from {self.start_date}"


class Relationship(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    DESIGNATED_TEACHER = "designated_teacher", "Designated teacher"
    OTHER_PROFESSIONAL = "other_professional", "Other professional"


@pghistory.track()
class PupilContact(models.Model):
    """A parent, carer or professional linked to a pupil."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    name = models.CharField(max_length=150)
    has_parental_responsibility = models.BooleanField(default=False)
    organisation_name = models.CharField("organisation", max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["relationship", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"


class ImportKind(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked-after children return (SSDA903)"
    TRANSFER_FILE = "ctf", "Common Transfer File"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused: nothing was changed"
    FAILED = "failed", "Stopped by an error: nothing was changed"


# A job waits for the worker, runs once (a task delivered twice finds it running), and ends
# done, refused (the file broke a rule: nothing changed) or failed (an error of ours).
IMPORT_TRANSITIONS = {
    ImportStatus.QUEUED: {ImportStatus.RUNNING},
    ImportStatus.RUNNING: {ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED},
    ImportStatus.DONE: set(),
    ImportStatus.REFUSED: set(),
    ImportStatus.FAILED: set(),
}


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A virtual school officer reads their authority's looked-after returns; an LA
        administrator its Common Transfer Files; a school's system the files it sent."""
        from accounts.policy import administered_authority_ids, virtual_school_authority_ids

        return self.filter(
            models.Q(kind=ImportKind.LOOKED_AFTER,
                     authority__in=virtual_school_authority_ids(user))
            | models.Q(kind=ImportKind.TRANSFER_FILE,
                       authority__in=administered_authority_ids(user))
            | models.Q(kind=ImportKind.TRANSFER_FILE, started_by=user.pk)
        )  # fmt: skip


class ImportJob(models.Model):
    """One file (or pair of files) loaded into the product: run on the Celery worker, applied
    whole or not at all, and ending with a report a person can act on."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    authority = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True, help_text="One entry per child.")
    problems = models.JSONField(default=list, blank=True, help_text="Why it was refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.created_at:%-d %B %Y %H:%M}"

    @property
    def finished(self) -> bool:
        return self.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for line in self.report:
            counted[line["outcome"]] = counted.get(line["outcome"], 0) + 1
        return counted


class ImportFile(models.Model):
    """A file of an import, kept in the database with its job (a few megabytes at most, and
    never a file on disk left behind by a refused import)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20)
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    def __str__(self):
        return self.name


class PupilMergeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An LA administrator reads the merges of pupils of the authority's schools."""
        from pupils.access import subject_access_pupils

        return self.filter(kept__in=subject_access_pupils(user))


@pghistory.track()
class PupilMerge(models.Model):
    """Two records of one child made one: every record of ``merged`` now names ``kept``
    (``moved`` lists them, by model, so that the merge can be undone for 30 days)."""

    kept = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict, help_text="Model label: the ids of its rows moved.")
    ended = models.JSONField(default=list, help_text="Enrolments of the merged record ended.")
    merged_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = PupilMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.merged} merged into {self.kept}"
