"""Users, the organisations they work for, and what role they hold in each."""

import pghistory
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Users must have an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their work e-mail address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the configuration (Django admin) pages."
    )
    is_system_account = models.BooleanField(
        default=False,
        help_text="A school's management information system: it uses the API with a token and "
        "never signs in.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SCHOOL = "school", "School"
    SERVICE = "service", "Service"
    GATEWAY = "gateway", "Gateway"
    VIRTUAL_SCHOOL = "virtual_school", "Virtual school"


@pghistory.track()
class Organisation(models.Model):
    """A body whose staff use the product: the LA itself, a school, a service, a gateway team
    (the PRT or the BACME referral inbox) or the virtual school. Every organisation other than a
    local authority belongs to one."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    code = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Short stable identifier, e.g. BOSS, PRT, or the school's URN.",
    )
    local_authority = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        limit_choices_to={"kind": OrganisationKind.LOCAL_AUTHORITY},
    )
    la_number = models.CharField(
        "LA number",
        max_length=3,
        blank=True,
        help_text="DfE three-digit local authority number (local authorities only).",
    )
    email = models.EmailField("shared inbox", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="local_authority", local_authority__isnull=True)
                | (~models.Q(kind="local_authority") & models.Q(local_authority__isnull=False)),
                name="organisation_belongs_to_an_la",
                violation_error_message="Every organisation but a local authority belongs to one.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def authority(self):
        """The local authority this organisation is, or belongs to."""
        return self if self.kind == OrganisationKind.LOCAL_AUTHORITY else self.local_authority


class Role(models.TextChoices):
    SCHOOL_STAFF = "school_staff", "School staff"
    GATEWAY_SCREENER = "gateway_screener", "Gateway screener"
    CASEWORKER = "caseworker", "Caseworker"
    SERVICE_MANAGER = "service_manager", "Service manager"
    VIRTUAL_SCHOOL_OFFICER = "virtual_school_officer", "Virtual school officer"
    LA_ADMINISTRATOR = "la_administrator", "LA administrator"
    EXCLUSIONS_OFFICER = "exclusions_officer", "Exclusions officer"
    LA_MANAGER = "la_manager", "LA manager"


# Which kinds of organisation each role can be held in.
ROLE_ORGANISATION_KINDS = {
    Role.SCHOOL_STAFF: {OrganisationKind.SCHOOL},
    Role.GATEWAY_SCREENER: {OrganisationKind.GATEWAY},
    Role.CASEWORKER: {OrganisationKind.SERVICE},
    Role.SERVICE_MANAGER: {OrganisationKind.SERVICE, OrganisationKind.GATEWAY},
    Role.VIRTUAL_SCHOOL_OFFICER: {OrganisationKind.VIRTUAL_SCHOOL},
    Role.LA_ADMINISTRATOR: {OrganisationKind.LOCAL_AUTHORITY},
    Role.EXCLUSIONS_OFFICER: {OrganisationKind.LOCAL_AUTHORITY},
    Role.LA_MANAGER: {OrganisationKind.LOCAL_AUTHORITY},
}


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True, organisation__is_active=True)

    def visible_to(self, user):
        from accounts.policy import membership_filter

        return self.filter(membership_filter(user))


@pghistory.track()
class Membership(models.Model):
    """A user's role in one organisation. A user may hold several (a SENCO for two schools)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_role",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"


class ApiToken(models.Model):
    """A named key for a system (a school's MIS, the LA's BI tool) to call the API as a user.
    Only a hash is stored; the key is shown once, when issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=True)
    school = models.ForeignKey(
        "Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The one school the token acts for: a school system's own, or the school a "
        "member of staff at several chose when it was issued.",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """A create the API answered under an ``Idempotency-Key``: the same key and body sent again
    (a retry after a timeout) gets this answer back, not a second record; the same key with
    another body is refused. Kept at least a day (``IDEMPOTENCY_KEEP_HOURS``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_idempotency_key")
        ]

    def __str__(self):
        return f"{self.key} ({self.status})"


class AccountEventKind(models.TextChoices):
    AUTHENTICATOR_ADDED = "authenticator_added", "Authenticator app added"
    AUTHENTICATOR_REMOVED = "authenticator_removed", "Authenticator app removed"
    TOKEN_ISSUED = "token_issued", "API token issued"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


class AccountEvent(models.Model):
    """A change to how an account signs in (an authenticator added or removed): kept for the
    authority's administrators, and e-mailed to the account's owner as it happens, so a change
    they did not make is noticed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    kind = models.CharField(max_length=30, choices=AccountEventKind.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} at {self.at:%Y-%m-%d %H:%M}"
