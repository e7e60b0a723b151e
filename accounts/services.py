"""State changes for users, organisations and memberships."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    ROLE_ORGANISATION_KINDS,
    AccountEvent,
    AccountEventKind,
    Membership,
    Organisation,
    OrganisationKind,
    User,
)
from config.actions import locked, service_action
from config.errors import DomainError


@service_action
def create_organisation(actor, *, name: str, kind: str, code: str, authority=None, **fields):
    organisation = Organisation(
        name=name, kind=kind, code=code, local_authority=authority, **fields
    )
    organisation.full_clean()
    organisation.save()
    return organisation


@service_action
def create_user(actor, *, email: str, full_name: str, password: str | None = None, **fields):
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email=email).exists():
        raise DomainError("A user with this email address already exists.", field="email")
    return User.objects.create_user(email, password, full_name=full_name, **fields)


def _require_administers(actor, organisation: Organisation) -> None:
    """An LA administrator manages the people of their own authority's organisations only.
    ``actor`` is None for the demo data and the load generator, which act for the system."""
    if actor is None:
        return
    from accounts.policy import administered_authority_ids

    authority = (
        organisation.pk
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        else organisation.local_authority_id
    )
    if authority not in administered_authority_ids(actor):
        raise DomainError("Choose one of your authority's organisations.", field="organisation")


@service_action
def add_user(
    actor, *, email: str, full_name: str, job_title: str = "", organisation, role: str
) -> User:
    """An LA administrator adds someone to one of the authority's organisations with a role.
    They have no password yet: they are e-mailed a link to set one, and set up their
    authenticator app the first time they sign in."""
    _require_administers(actor, organisation)
    if not full_name.strip():
        raise DomainError("Enter the person's full name", field="full_name")
    user = create_user(actor, email=email, full_name=full_name.strip(), job_title=job_title)
    grant_membership(actor, user, organisation, role)
    return user


@service_action
def grant_membership(actor, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` a role in ``organisation``; each role belongs to one kind of organisation
    (a caseworker works in a service, a screener in a gateway)."""
    _require_administers(actor, organisation)
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise DomainError(
            f"A {Membership(role=role).get_role_display().lower()} cannot belong to a "
            f"{organisation.get_kind_display().lower()}.",
            field="role",
        )
    existing = (
        Membership.objects.active().filter(user=user, organisation=organisation, role=role).first()
    )
    if existing:
        return existing
    return Membership.objects.create(user=user, organisation=organisation, role=role)


@service_action
def end_membership(actor, membership: Membership) -> Membership:
    locked(membership)
    _require_administers(actor, membership.organisation)
    if (
        actor is not None
        and membership.user_id == actor.pk
        and membership.role == "la_administrator"
    ):
        raise DomainError("Ask another LA administrator to end your own administrator role.")
    if membership.ended_at is not None:
        raise DomainError("This membership has already ended.")
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    return membership


def has_authenticator(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _require_may_add_authenticator(actor, verified: bool) -> None:
    """A first authenticator is set up after the password; another one only once the first
    has been used this session, so a stolen password alone cannot add one."""
    if has_authenticator(actor) and not verified:
        raise DomainError(
            "You already have an authenticator app: enter its code first, then you can add another."
        )


@service_action
def start_two_factor_setup(actor, *, verified: bool) -> "TOTPDevice":  # noqa: F821
    """An unconfirmed authenticator for the user to scan; replaces any earlier unconfirmed one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_may_add_authenticator(actor, verified)
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@service_action
def confirm_two_factor(actor, device, *, token: str, verified: bool):
    """Confirm the authenticator with a code from it. The change is recorded and e-mailed to
    the account's owner."""
    _require_may_add_authenticator(actor, verified)
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError("Start setting up the authenticator app again.", field="token")
    if not device.verify_token(token):
        raise DomainError(
            "Enter the 6-digit code from your authenticator app; it changes every 30 seconds",
            field="token",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record_account_event(actor, AccountEventKind.AUTHENTICATOR_ADDED, device.name)
    return device


@service_action
def reset_two_factor(actor, user: User) -> int:
    """An LA administrator resets a colleague's authenticator app (a lost or replaced phone):
    every device goes, the next sign-in asks them to set one up again, and the change is
    recorded and e-mailed to them. Returns how many devices were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    locked(user)
    if user.pk == actor.pk:
        raise DomainError("Ask another LA administrator to reset your own authenticator app.")
    if not _administers(actor, user):
        raise DomainError("You can only reset the authenticator of your authority's people.")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _record_account_event(
            user, AccountEventKind.AUTHENTICATOR_REMOVED, f"Reset by {actor.full_name}"
        )
    return removed


def _record_account_event(user, kind: str, detail: str = "") -> None:
    from django.core.mail import EmailMessage

    event = AccountEvent.objects.create(user=user, kind=kind, detail=detail[:200])
    if user.is_system_account:
        return  # a school's system has no inbox: its administrators see the event
    message = EmailMessage(
        subject=f"{event.get_kind_display()} on your account",
        body=f"{event.get_kind_display()} on your casework account on "
        f"{timezone.localtime(event.at):%-d %B %Y at %H:%M}.\n\nIf this was not you, tell "
        "your LA administrator at once: someone may know your password.",
        to=[user.email],
    )
    transaction.on_commit(lambda: message.send(using="default"), robust=True)


def send_password_reset(email: str, *, reset_url_for) -> None:
    """E-mail a reset link if the address belongs to an active user; say nothing either way."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import EmailMessage
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reset_url_for(uid, default_token_generator.make_token(user))
    EmailMessage(
        subject="Reset your password",
        body=f"Someone asked to reset the password for this account. To choose a new one, "
        f"open this link within 3 days:\n\n{link}\n\nIf it was not you, ignore this e-mail.",
        to=[user.email],
    ).send(using="default")


@service_action
def set_password(actor, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def hash_key(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


@service_action
def issue_api_token(
    actor, user: User, *, name: str, read_only: bool = True, verified=False, school=None
):
    """A token is issued by its own user, once they have used their authenticator this
    session (``verified``), or by an LA administrator to one of their authority's school
    system accounts. Nobody else: an administrator minting a token for a member of staff
    could act as them, past their two-factor. Returns the token and its key, shown once and
    never stored; the issue is recorded and e-mailed.

    A token acts for one school (``school``, an organisation), never quietly for whichever of
    several comes first: a school system's is its own school's; a member of staff at more than
    one school chooses."""
    import secrets

    from accounts.models import ApiToken

    if user.pk == actor.pk:
        if not verified:
            raise DomainError(
                "Sign in with your authenticator app first: a token acts as you.", field="name"
            )
    elif not (user.is_system_account and _administers(actor, user)):
        raise DomainError(
            "A token is issued by its own user, or to one of your authority's school systems.",
            field="user",
        )
    if not name.strip():
        raise DomainError("Enter a name for the token, like 'Oak Academy MIS'", field="name")
    school = _token_school(user, school)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=key[:8], key_hash=hash_key(key),
        read_only=read_only, created_by=actor, school=school,
    )  # fmt: skip
    _record_account_event(user, AccountEventKind.TOKEN_ISSUED, f"{token.name} ({token.prefix}…)")
    return token, key


def _administers(actor, user: User) -> bool:
    from accounts.policy import administered_authority_ids

    authorities = administered_authority_ids(actor)
    return (
        bool(authorities)
        and Membership.objects.active()
        .filter(user=user)
        .filter(Q(organisation__local_authority__in=authorities) | Q(organisation__in=authorities))
        .exists()
    )


@service_action
def create_system_account(actor, *, school, name: str) -> User:
    """A school's management information system, as an account of its own: staff of that
    school (its organisation, ``school``) for the API's rules, with no password (it never
    signs in), and a token issued by the authority's LA administrator."""
    from accounts.policy import administered_authority_ids

    mine = administered_authority_ids(actor)
    if school.kind != OrganisationKind.SCHOOL or school.local_authority_id not in mine:
        raise DomainError("Choose one of your authority's schools.", field="school")
    if not name.strip():
        raise DomainError("Enter the system's name, like 'Oak Academy MIS'", field="name")
    number = User.objects.filter(email__startswith=f"system-{school.code}-").count() + 1
    user = User.objects.create_user(
        f"system-{school.code}-{number}@system.invalid", None, full_name=name.strip(),
        is_system_account=True,
    )  # fmt: skip
    Membership.objects.create(user=user, organisation=school, role="school_staff")
    return user


def _token_school(user: User, chosen):
    """The school a new token of ``user`` acts for: ``chosen`` if it is one of theirs, the
    only one if they have one, and nothing for a role that acts for no school."""
    from accounts.policy import school_staff_organisations

    schools = school_staff_organisations(user)
    if chosen is not None:
        if chosen not in schools:
            raise DomainError("Choose one of your schools.", field="school")
        return chosen
    if len(schools) > 1:
        raise DomainError(
            "Choose which school the token acts for: you work at more than one.", field="school"
        )
    return schools[0] if schools else None


@service_action
def revoke_api_token(actor, token) -> None:
    """Its own user, or an administrator of the authority it works in, revokes a token."""
    locked(token)
    if token.user_id != actor.pk and not _administers(actor, token.user):
        raise DomainError("Only the token's own user or an LA administrator can revoke it.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _record_account_event(
            token.user, AccountEventKind.TOKEN_REVOKED, f"{token.name} ({token.prefix}…)"
        )


def purge_idempotency_keys(now=None) -> int:
    """Forget the API's kept answers older than ``IDEMPOTENCY_KEEP_HOURS`` (a day by default):
    a retry comes within minutes, and a key is not kept for ever. Returns how many."""
    import datetime

    from django.conf import settings

    from accounts.models import IdempotentRequest

    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
