"""The access log: one row for every view of a pupil's page, every download and every export.
Change history is kept by django-pghistory event tables next to each tracked model."""

from django.conf import settings
from django.db import models


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user):
        """LA administrators read the access log of their authority; nobody else does."""
        from accounts.policy import NOTHING, administered_authority_ids

        authorities = administered_authority_ids(user)
        if not authorities:
            return self.filter(NOTHING)
        return self.filter(authority__in=authorities)


class AccessLog(models.Model):
    """One pupil's record read by one person. A page of fifty pupils writes fifty rows in one
    insert (``audit.reads``). The reader, their authority and organisation are the same on every
    row of a request and are the signed-in person's own records, which are never deleted
    (``PROTECT``, enforced here as everywhere by Django): the database does not check them again
    row by row (``db_constraint=False``), which had cost more than the insert itself. The pupil,
    which differs on each row, keeps its constraint."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    kind = models.CharField(
        max_length=10,
        choices=[("view", "Viewed"), ("download", "Downloaded"), ("export", "Exported")],
        default="view",
    )
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(default=1, help_text="How many pupils' records.")
    reason = models.TextField(blank=True, help_text="Why, for an export of many pupils.")
    authority = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The authority of the organisation the user was working for.",
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    page = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["pupil", "-viewed_at"], name="accesslog_pupil_time")]

    def __str__(self):
        when = f"{self.viewed_at:%Y-%m-%d %H:%M}"
        return f"{self.user} {self.get_kind_display().lower()} {self.page} at {when}"


class Activity(models.Model):
    """What happened to a record, in words: who did what, when. A concrete activity model
    adds the record it belongs to and its own ``kind`` choices; chronologies and the pupil's
    timeline read them."""

    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class RetentionRule(models.Model):
    """How long a kind of record is kept, as data (set by the authority's information
    governance). ``keep_until_age``: kept until the pupil reaches this age, then anonymised."""

    record_kind = models.CharField(
        max_length=20,
        unique=True,
        choices=[("case", "Closed cases and their referrals"), ("exclusion", "Exclusions")],
    )
    keep_until_age = models.PositiveSmallIntegerField(default=25)
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.get_record_kind_display()}: until the pupil is {self.keep_until_age}"


class RetentionRun(models.Model):
    """One run of the retention task: a dry run reports, a real run anonymises."""

    dry_run = models.BooleanField()
    ran_at = models.DateTimeField(auto_now_add=True)
    pupils = models.JSONField(default=list, help_text="Pupil ids anonymised (or that would be).")

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{'Dry run' if self.dry_run else 'Run'} at {self.ran_at:%Y-%m-%d %H:%M}"
