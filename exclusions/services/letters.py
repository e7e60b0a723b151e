"""Letters to parents: written from the record (``exclusions.letters``), their free-text parts
kept, and the authority's advice contacts kept for every letter of its schools."""

from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from exclusions import letters
from exclusions.models import (
    Exclusion,
    Letter,
    LetterSettings,
    LetterStatus,
    LetterTemplate,
    Situation,
)
from exclusions.services.common import _require


@service_action
def write_letter(actor, exclusion: Exclusion, *, situation: str, parts: dict) -> Letter:
    """Keep the parts of a letter a person writes (how to make representations, who signs,
    their own words). The letter is written from the template version in force when it was
    first written; a letter already sent is not changed."""
    locked(exclusion)
    who = ("school", "la") if situation == Situation.PANEL_DECISION else ("school",)
    _require(actor, exclusion, *who)
    if situation not in letters.situations_for(exclusion):
        raise DomainError("This letter is not one this exclusion calls for.")
    parts = {name: (parts.get(name) or "").strip() for name in letters.PARTS_OF[situation]}
    letter = Letter.objects.filter(exclusion=exclusion, situation=situation).first()
    if letter is None:
        template = LetterTemplate.objects.in_force(situation, timezone.localdate())
        if template is None:
            raise DomainError("The authority has no model letter for this situation yet.")
        return Letter.objects.create(
            exclusion=exclusion, situation=situation, template=template, parts=parts,
            written_by=actor,
        )  # fmt: skip
    locked(letter)
    if letter.status == LetterStatus.SENT:
        raise DomainError("This letter has been sent: it is kept as it was sent.",
                          code="already_done", conflict=True)  # fmt: skip
    letter.parts = parts
    letter.save(update_fields=["parts", "updated_at"])
    return letter


@service_action
def keep_letter_settings(actor, authority, **fields) -> LetterSettings:
    """An LA administrator keeps what every letter of the authority's schools tells parents
    about free, impartial advice and where to apply for an independent review (the DfE's
    guidance on informing parents)."""
    from accounts.policy import administered_authority_ids

    if authority.pk not in administered_authority_ids(actor):
        raise DomainError("Only the authority's administrators keep its letter settings.")
    row, _ = LetterSettings.objects.get_or_create(authority=authority)
    locked(row)
    for name, value in fields.items():
        setattr(row, name, value.strip())
    row.save()
    return row
