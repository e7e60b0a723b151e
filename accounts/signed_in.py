"""What every signed-in page reads before its own data: the user, the two-factor devices they
may have signed in with, and their current memberships. Read from the cache as one entry per
user, and dropped whenever any of them changes, so that a page costs no query for them (the
performance issue's "cost of being signed in").

The entry is dropped at once and again when the change commits, so that a request that read the
old rows meanwhile cannot keep them: a membership ended, a device removed or a password changed
is seen by the very next request. Organisations are many people's: a change to one moves a
generation that every entry is checked against. With Redis away every read is a miss and the
database answers, as before."""

from django.core.cache import cache
from django.db import transaction

from config.cache import move_generation

TTL_SECONDS = 600
ORGANISATIONS = "signed-in:organisations"


def _key(user_id) -> str:
    return f"signed-in:{user_id}"


def _read(user_id):
    """The user with their memberships and confirmed devices, from the database."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership, User

    user = User._default_manager.filter(pk=user_id).first()
    if user is None:
        return None
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation", "organisation__local_authority")
    )
    devices = {d.persistent_id: d for d in TOTPDevice.objects.filter(user=user, confirmed=True)}
    return {"user": user, "memberships": memberships, "devices": devices}


def signed_in_user(user_id):
    """The user for a session, with ``_active_memberships`` and ``_otp_devices`` filled in,
    or ``None``. Each call gives a fresh copy: nothing a request changes reaches another."""
    found = cache.get_many([_key(user_id), ORGANISATIONS])
    generation = found.get(ORGANISATIONS, 0)
    entry = found.get(_key(user_id))
    if entry is None or entry.get("organisations") != generation:
        entry = _read(user_id)
        if entry is None:
            return None
        entry["organisations"] = generation
        cache.set(_key(user_id), entry, TTL_SECONDS)
    user = entry["user"]
    user._active_memberships = entry["memberships"]
    user._otp_devices = entry["devices"]
    return user


def forget(user_id) -> None:
    """Drop the user's entry now and when the current transaction commits."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


def organisations_changed() -> None:
    """An organisation's name, kind or state changed: every entry is read again."""
    move_generation(ORGANISATIONS)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import Membership, Organisation, User

    def user_changed(sender, instance, **kwargs):
        forget(instance.pk)

    def owned_by_user_changed(sender, instance, **kwargs):
        forget(instance.user_id)

    def organisation_changed(sender, instance, **kwargs):
        organisations_changed()

    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(user_changed, sender=User, weak=False,
                       dispatch_uid=f"signed-in-user-{name}")  # fmt: skip
        for model in (Membership, TOTPDevice):
            signal.connect(owned_by_user_changed, sender=model, weak=False,
                           dispatch_uid=f"signed-in-{model.__name__}-{name}")  # fmt: skip
        signal.connect(organisation_changed, sender=Organisation, weak=False,
                       dispatch_uid=f"signed-in-organisation-{name}")  # fmt: skip
