"""Letters to parents: written from the record (``exclusions.letters``), their free-text parts
kept, and the authority's advice contacts kept for every letter of its schools."""

from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from deadlines.codes import KindCode
from exclusions import letters
from exclusions.models import (
    LETTER_TRANSITIONS,
    Exclusion,
    Letter,
    LetterSettings,
    LetterStatus,
    LetterTemplate,
    Situation,
)
from exclusions.services.common import _require


def _require_writer(actor, exclusion: Exclusion, situation: str) -> None:
    """The school writes and sends its letters; the panel's letter, the authority's
    exclusions officers too (the authority arranges the review)."""
    who = ("school", "la") if situation == Situation.PANEL_DECISION else ("school",)
    _require(actor, exclusion, *who)


@service_action
def write_letter(actor, exclusion: Exclusion, *, situation: str, parts: dict) -> Letter:
    """Keep the parts of a letter a person writes (how to make representations, who signs,
    their own words). The letter is written from the template version in force when it was
    first written; a letter already sent is not changed."""
    locked(exclusion)
    _require_writer(actor, exclusion, situation)
    if situation not in letters.situations_for(exclusion):
        raise DomainError("This letter is not one this exclusion calls for.")
    parts = {name: (parts.get(name) or "").strip() for name in letters.PARTS_OF[situation]}
    letter = Letter.objects.filter(exclusion=exclusion, situation=situation).first()
    if letter is None:
        template = LetterTemplate.objects.in_force(
            situation, timezone.localdate(), exclusion.school.organisation.local_authority_id
        )
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


def _sendable(letter: Letter) -> dict:
    """The letter's facts, or a refusal naming what it still lacks."""
    if LetterStatus.SENT not in LETTER_TRANSITIONS[letter.status]:
        raise DomainError(f"This letter was sent on {letter.sent_on:%-d %B %Y}.",
                          code="already_done", conflict=True)  # fmt: skip
    facts, missing = letters.facts_of(letter.exclusion, letter.situation, letter.parts)
    if missing:
        raise DomainError("The letter cannot be sent yet: "
                          + "; ".join(words for words, _ in missing) + ".")  # fmt: skip
    return facts


@service_action
def record_letter_sent(actor, letter: Letter, *, sent_on, how: str, notify_id="") -> Letter:
    """The date and way a letter was sent. For the governing board's decision to uphold a
    permanent exclusion, that is the notice the parents' 15 school days to apply for an
    independent review count from (the 2012 Regulations, Schedule 1, paragraph 2; a notice
    posted first class is given on the second working day after posting): the time limit is
    counted again from it."""
    from exclusions import rules
    from exclusions.models import ExclusionActivityKind, ExclusionRules
    from exclusions.services.common import _deadline, _event

    locked(letter)
    exclusion = locked(letter.exclusion)
    _require_writer(actor, exclusion, letter.situation)
    _sendable(letter)
    if sent_on > timezone.localdate():
        raise DomainError("The date must be today or in the past", field="sent_on")
    letter.status, letter.sent_on, letter.sent_how = LetterStatus.SENT, sent_on, how
    letter.sent_by, letter.notify_id = actor, notify_id
    letter.save()
    if letter.situation == Situation.BOARD_UPHELD_PERMANENT and (
        exclusion.parents_told_of_decision_on, exclusion.parents_told_of_decision_how
    ) != (sent_on, how):  # fmt: skip
        from deadlines import services as deadline_services
        from deadlines.selectors import live_deadline

        exclusion.parents_told_of_decision_on = sent_on
        exclusion.parents_told_of_decision_how = how
        exclusion.save(update_fields=["parents_told_of_decision_on",
                                      "parents_told_of_decision_how"])  # fmt: skip
        window = live_deadline(exclusion, KindCode.REVIEW_APPLICATION)
        if window is not None:
            deadline_services.waive_deadline(
                actor, window, reason=f"Counted again from the decision letter sent on "
                f"{sent_on:%-d %B %Y}",
            )  # fmt: skip
            _deadline(
                exclusion, KindCode.REVIEW_APPLICATION,
                start=rules.notice_received_on(sent_on, how),
                title="Parents may apply for an independent review", owner="la",
                length=ExclusionRules.current().review_application_within,
            )  # fmt: skip
    _event(exclusion, actor, ExclusionActivityKind.LETTER,
           f"{letter.get_situation_display()}: sent on {sent_on:%-d %B %Y} "
           f"({letter.get_sent_how_display().lower()})")  # fmt: skip
    return letter


def notify_is_set_up() -> bool:
    from django.conf import settings

    return bool(settings.NOTIFY_API_KEY and settings.NOTIFY_TEMPLATE_ID)


@service_action
def send_letter(actor, letter: Letter, *, how: str) -> Letter:
    """Send the letter through GOV.UK Notify, by email to the parents' address or as a
    posted letter (a PDF with their postal address), and record the day and the way it went.
    Notify is asked first: a refusal records nothing."""
    import io

    from django.conf import settings
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    from exclusions import letter_documents
    from exclusions.rules import NoticeSent

    locked(letter)
    _require_writer(actor, letter.exclusion, letter.situation)
    facts = _sendable(letter)
    if not notify_is_set_up():
        raise DomainError("GOV.UK Notify is not set up for this service: send the letter "
                          "yourself, then record when and how.")  # fmt: skip
    parent = _parent(letter.exclusion, how)
    text = letters.paragraphs(letter.template, facts)
    client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
    reference = f"letter-{letter.pk}"
    try:
        if how == NoticeSent.EMAIL:
            answer = client.send_email_notification(
                email_address=parent.email, template_id=settings.NOTIFY_TEMPLATE_ID,
                personalisation={"subject": f"{letter.get_situation_display()}: "
                                 f"{letter.exclusion.pupil.legal_name}",
                                 "body": "\n\n".join(text)},
                reference=reference,
            )  # fmt: skip
        else:
            pdf = letter_documents.to_pdf(
                letter.exclusion.school.name, letter.get_situation_display(), text,
                address=[parent.name, *parent.address.splitlines()],
            )  # fmt: skip
            answer = client.send_precompiled_letter_notification(
                reference=reference, pdf_file=io.BytesIO(pdf)
            )
    except HTTPError as error:
        raise DomainError(f"GOV.UK Notify did not take the letter: {error}. Nothing was "
                          "recorded: try again, or send it yourself.") from error  # fmt: skip
    return record_letter_sent(actor, letter, sent_on=timezone.localdate(), how=how,
                              notify_id=str(answer.get("id", "")))  # fmt: skip


def _parent(exclusion, how):
    """The parent with parental responsibility the letter goes to, with an email address or a
    postal address as the way needs."""
    from exclusions.rules import NoticeSent

    field = "email" if how == NoticeSent.EMAIL else "address"
    for contact in exclusion.pupil.contacts.filter(has_parental_responsibility=True):
        if getattr(contact, field).strip():
            return contact
    words = "an email address" if how == NoticeSent.EMAIL else "a postal address"
    raise DomainError(f"No parent with parental responsibility has {words} recorded for "
                      f"{exclusion.pupil}.", field="how")  # fmt: skip


@service_action
def add_letter_version(
    actor, authority, *, situation: str, body: str, guidance: str, effective_from
) -> LetterTemplate:
    """An LA administrator adds a version of a model letter for the authority's schools, with
    the guidance it follows and the day it takes effect. A version that leaves out an item
    the law requires (``exclusions.letters.REQUIRED``) is refused, naming the item; letters
    already written keep the version they were written from."""
    from django.db.models import Max

    from accounts.policy import administered_authority_ids

    if authority.pk not in administered_authority_ids(actor):
        raise DomainError("Only the authority's administrators keep its model letters.")
    if effective_from < timezone.localdate():
        raise DomainError("The date must be today or in the future", field="effective_from")
    unknown = letters.unknown_placeholders(body)
    if unknown:
        raise DomainError(
            f"{', '.join(unknown)}: not a fact this service knows. Write facts as the version "
            "in force does, such as [pupil] or [board by]", field="body",
        )  # fmt: skip
    problems = [
        DomainError(f"The letter must say {item.label[0].lower()}{item.label[1:]} "
                    f"({item.source})", field="body")
        for item in letters.REQUIRED[situation]
        if not all(letters.placeholder(key) in body for key in item.facts)
        or not all(word in body for word in item.words)
    ]  # fmt: skip
    if problems:
        raise DomainError.all_of(problems)
    latest = LetterTemplate.objects.filter(authority=authority, situation=situation).aggregate(
        Max("version")
    )["version__max"]
    national = LetterTemplate.objects.filter(authority__isnull=True, situation=situation)
    version = (latest or national.aggregate(Max("version"))["version__max"] or 0) + 1
    return LetterTemplate.objects.create(
        authority=authority, situation=situation, version=version, body=body.strip(),
        guidance=guidance.strip(), effective_from=effective_from, created_by=actor,
    )  # fmt: skip
