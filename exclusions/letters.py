"""Letters to parents written from the exclusion's record, with the dates the deadline engine
gives. ``REQUIRED`` is the table of what each letter must say, each item with its source in the
law or the DfE's guidance; a letter is not produced while a fact it needs is missing.

Sources, as cited below:
- "2012 Regulations": the School Discipline (Pupil Exclusions and Reviews) (England) Regulations
  2012 (regulations 5 and 6 for maintained schools; 21 and 24 for academies, in the same words).
- "2006 Act": the Education and Inspections Act 2006, sections 103 and 104 (the parents' duty
  that the pupil is not in a public place in school hours on the days the notice names).
- "2007 Regulations": the Education (Provision of Full-Time Education for Excluded Pupils)
  (England) Regulations 2007, as amended (education from the sixth school day).
- "Guidance": the DfE's "Suspension and permanent exclusion from maintained schools, academies
  and pupil referral units in England", on informing parents (2023 edition, paragraphs 63 and
  64): the right to ask for the meeting to be held remotely, and where to find free, impartial
  advice."""

import datetime
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from deadlines.codes import KindCode
from exclusions.models import Exclusion, Kind, Situation, Status

HEAD_LETTERS = {
    Situation.SUSPENSION_SHORT,
    Situation.SUSPENSION_MEDIUM,
    Situation.SUSPENSION_LONG,
    Situation.PERMANENT,
}


@dataclass(frozen=True)
class Item:
    """One thing a letter must say: in words, its source, the facts that show it (by name) and
    words that must appear with them."""

    label: str
    source: str
    facts: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def shows(self, facts: dict) -> list[str]:
        return [facts[key] for key in self.facts] + list(self.words)


COMMON = [
    Item("The pupil's name", "2012 Regulations, reg. 5(1)", ("pupil",)),
    Item("The reasons, in words", "2012 Regulations, reg. 5(1)(b)", ("reasons",)),
    Item(
        "The days the pupil must not be in a public place in school hours",
        "2006 Act, ss. 103 and 104",
        ("public_days",),
        ("public place",),
    ),
    Item("The work set for the first five school days", "Guidance, paragraph 64", ("work_set",)),
    Item(
        "The right to make representations to the governing board, and how",
        "2012 Regulations, reg. 5(3)(a) and (b)",
        ("representations",),
        ("representations",),
    ),
    Item(
        "The right to ask for the meeting to be held by remote access",
        "Guidance, paragraph 64",
        (),
        ("remote access",),
    ),
    Item(
        "Where to find free, impartial advice (the SENDIASS and the behaviour officer)",
        "Guidance, paragraph 64",
        ("sendiass", "behaviour_officer"),
    ),
]
PERIOD = Item(
    "The period of the suspension",
    "2012 Regulations, reg. 5(1)(a)",
    ("start", "last_day", "length"),
)
MEETING_RIGHTS = Item(
    "The right to attend the meeting, to be represented and to bring a friend",
    "2012 Regulations, reg. 5(3)(c)",
    (),
    ("attend", "represented", "friend"),
)
BOARD_BY = Item(
    "The latest date the governing board must meet",
    "2012 Regulations, reg. 6(3)(a) and (5)",
    ("board_by",),
)
SIXTH_DAY = Item(
    "Full-time education from the sixth day: start date, times, address, whom to report to",
    "2007 Regulations",
    ("sixth_day_from", "sixth_day"),
)
DECISION = Item(
    "The board's decision and its reasons",
    "2012 Regulations, reg. 6(6)(a)",
    ("decided_on", "decision", "decision_reasons"),
)
REVIEW = [
    Item(
        "The right to apply for an independent review, and to whom",
        "2012 Regulations, reg. 6(6)(b)(i) and (ii)",
        ("review_address",),
        ("independent review",),
    ),
    Item(
        "The latest date to apply (15 school days after the notice is given)",
        "2012 Regulations, Schedule 1, paragraph 2",
        ("review_by",),
    ),
    Item(
        "The right to ask for a SEN expert at the review, whether or not the pupil has SEN",
        "2012 Regulations, reg. 6(6)(b)(iv)",
        (),
        ("SEN expert",),
    ),
    Item(
        "The right to claim disability discrimination under the Equality Act 2010",
        "2012 Regulations, reg. 6(6)(b)(v)",
        (),
        ("Equality Act 2010",),
    ),
]

REQUIRED: dict[str, list[Item]] = {
    Situation.SUSPENSION_SHORT: [*COMMON, PERIOD],
    Situation.SUSPENSION_MEDIUM: [
        *COMMON,
        PERIOD,
        MEETING_RIGHTS,
        SIXTH_DAY,
        Item(
            "The latest date the governing board must meet, if the parents ask it to",
            "2012 Regulations, reg. 6(3)(b)",
            ("board_if_asked_by",),
        ),
    ],
    Situation.SUSPENSION_LONG: [*COMMON, PERIOD, MEETING_RIGHTS, BOARD_BY, SIXTH_DAY],
    Situation.PERMANENT: [
        *COMMON,
        Item(
            "That the exclusion is permanent",
            "2012 Regulations, reg. 5(1)(a)",
            ("start",),
            ("permanently excluded",),
        ),
        MEETING_RIGHTS,
        BOARD_BY,
        SIXTH_DAY,
    ],
    Situation.BOARD_UPHELD_PERMANENT: [DECISION, *REVIEW],
    Situation.BOARD_DECISION: [DECISION],
    Situation.PANEL_DECISION: [
        Item(
            "The panel's decision and what happens next",
            "2012 Regulations, Schedule 1 (the panel's decision, notified to the parents)",
            ("panel_decision", "panel_decided_on"),
        ),
    ],
}

# The parts a person writes, by situation: name, label, hint, whether required.
PARTS = {
    "representations": (
        "How to make representations",
        "To whom parents write or speak (the clerk to the governing board), and "
        "where: a name, an address and an email address",
        True,
    ),
    "message": (
        "A few words of your own (optional)",
        "Shown after the greeting, before the facts",
        False,
    ),
    "signed_by": ("Signed by", "The headteacher's or clerk's name and role", True),
}
PARTS_OF = {
    situation: ["representations", "message", "signed_by"]
    if situation in HEAD_LETTERS
    else ["message", "signed_by"]
    for situation in Situation.values
}


def situations_for(exclusion: Exclusion) -> list[str]:
    """The letters the exclusion calls for now, oldest first: the head's letter for its
    length (a term's total, or a missed public examination, decides which), then the board's
    and the panel's once they have decided."""
    from deadlines.calendar import SchoolCalendar
    from exclusions.models import ExclusionRules
    from exclusions.services.common import term_days

    if exclusion.status == Status.WITHDRAWN:
        return []
    if exclusion.kind == Kind.PERMANENT:
        letters = [Situation.PERMANENT]
    else:
        rules_row = ExclusionRules.current()
        days = term_days(exclusion, SchoolCalendar(exclusion.school, provisional=True))
        if days > rules_row.board_must_meet_over_days or exclusion.misses_public_exam:
            letters = [Situation.SUSPENSION_LONG]
        elif days > rules_row.parents_ask_threshold_days:
            letters = [Situation.SUSPENSION_MEDIUM]
        else:
            letters = [Situation.SUSPENSION_SHORT]
    if exclusion.board_decided_on:
        upheld_permanent = exclusion.kind == Kind.PERMANENT and exclusion.status in {
            Status.UPHELD,
            Status.UNDER_REVIEW,
            Status.RECONSIDER,
            Status.CONCLUDED,
        }
        letters.append(
            Situation.BOARD_UPHELD_PERMANENT if upheld_permanent else Situation.BOARD_DECISION
        )
    if exclusion.panel_decided_on:
        letters.append(Situation.PANEL_DECISION)
    return letters


def _day(day: datetime.date) -> str:
    return f"{day:%A %-d %B %Y}"


def _counted_day(day: datetime.date, provisional: bool) -> str:
    """A day the law counts to, as the letter gives it: marked when it was counted on the
    typical calendar because the school's term dates for then are not yet entered."""
    if not provisional:
        return _day(day)
    return (f"{_day(day)} (provisional: the school's term dates for then are not yet "
            "confirmed, so the school will tell you if it changes)")  # fmt: skip


def _deadline_day(exclusion, code: str) -> str:
    """The due day of the exclusion's live deadline of ``code``, or empty."""
    from deadlines.selectors import live_deadline

    deadline = live_deadline(exclusion, code)
    return _counted_day(deadline.due_date, deadline.provisional) if deadline else ""


def _board_if_asked_by(exclusion, calendar) -> str:
    """Over 5 and up to 15 school days in a term, the board meets only if the parents ask, and
    then within 50 school days of its receiving notice of the suspension (the 2012
    Regulations, reg. 6(3)(b)): the day, counted on the school's calendar."""
    from exclusions.models import ExclusionRules
    from pupils.years import academic_year_of

    start = exclusion.board_received_on
    day = calendar.add_school_days(start, ExclusionRules.current().parents_ask_meets_within)
    years = set(range(academic_year_of(start), academic_year_of(day) + 1))
    return _counted_day(day, bool(years & calendar.assumed_years))


def facts_of(exclusion: Exclusion, situation: str, parts: dict) -> tuple[dict, list]:
    """(the facts the letter is written from, by name; what is missing, as (words, address)
    pairs for the page to link to)."""
    from deadlines.calendar import SchoolCalendar
    from exclusions import rules
    from exclusions.models import LetterSettings, PanelDecision

    pupil, school = exclusion.pupil, exclusion.school
    calendar = SchoolCalendar(school, provisional=True)
    parents = [c.name for c in pupil.contacts.all() if c.has_parental_responsibility]
    settings_row = LetterSettings.objects.filter(
        authority_id=school.organisation.local_authority_id
    ).first()
    days = [d.day for d in rules.days_of(exclusion, calendar)] if exclusion.sessions else []
    if exclusion.kind == Kind.PERMANENT:
        days = [calendar.add_school_days(exclusion.start_date, n) for n in range(6)]
    whole_days = sorted(set(days))
    facts = {
        "pupil": pupil.legal_name,
        "parents": " and ".join(parents) if parents else "parent or carer",
        "school": school.name,
        "reference": exclusion.reference,
        "start": _day(exclusion.start_date),
        "days": f"{exclusion.days:g}",
        "length": f"{exclusion.days:g} school day{'' if exclusion.days == 1 else 's'}",
        "last_day": _day(whole_days[-1]) if whole_days and exclusion.sessions else "",
        "reasons": "; ".join(reason.label for reason in exclusion.reasons.all()),
        "description": exclusion.description,
        "public_days": ", ".join(_day(day) for day in whole_days[:5]),
        "work_set": exclusion.work_set,
        "sixth_day": exclusion.sixth_day_provision,
        "sixth_day_from": _day(whole_days[5]) if len(whole_days) > 5 else "",
        "sendiass": settings_row.sendiass if settings_row else "",
        "behaviour_officer": settings_row.behaviour_officer if settings_row else "",
        "review_address": settings_row.review_address if settings_row else "",
        "decided_on": _day(exclusion.board_decided_on) if exclusion.board_decided_on else "",
        "decision": exclusion.get_status_display(),
        "decision_reasons": exclusion.board_decision_note,
        "panel_decision": PanelDecision(exclusion.panel_decision).label
        if exclusion.panel_decision
        else "",
        "panel_decided_on": _day(exclusion.panel_decided_on) if exclusion.panel_decided_on else "",
        "today": _day(timezone.localdate()),
        **{name: parts.get(name, "") for name in PARTS},
    }
    facts["board_if_asked_by"] = _board_if_asked_by(exclusion, calendar)
    facts["board_by"] = _deadline_day(exclusion, KindCode.BOARD_CONSIDER)
    facts["review_by"] = _deadline_day(exclusion, KindCode.REVIEW_APPLICATION)
    return facts, _missing(exclusion, situation, facts)


def _missing(exclusion, situation, facts) -> list[tuple[str, str]]:
    """What the letter needs and the record lacks, with where to add it."""
    detail = reverse("exclusions:detail", args=[exclusion.pk])
    settings_page = reverse("exclusions:letter-settings")
    where = {
        "work_set": (
            "the work set for the first five school days",
            reverse("exclusions:work-set", args=[exclusion.pk]),
        ),
        "sixth_day": (
            "the full-time education from the sixth day: start date, times, address "
            "and whom to report to",
            reverse("exclusions:provision", args=[exclusion.pk]),
        ),
        "sixth_day_from": ("the sixth school day of the exclusion", detail),
        "sendiass": (
            "the SENDIASS's contact details (the LA administrator adds them)",
            settings_page,
        ),
        "behaviour_officer": (
            "the behaviour officer's contact details (the LA administrator adds them)",
            settings_page,
        ),
        "review_address": (
            "where to apply for an independent review (the LA administrator adds it)",
            settings_page,
        ),
        "board_by": ("the latest date the governing board must meet", detail),
        "review_by": (
            "the latest date to apply for a review: record the board's decision",
            reverse("exclusions:board", args=[exclusion.pk]),
        ),
        "decision_reasons": (
            "the reasons for the board's decision",
            reverse("exclusions:board", args=[exclusion.pk]),
        ),
        "representations": ("how to make representations", ""),
        "signed_by": ("who signs the letter", ""),
    }
    missing = []
    needed = [key for item in REQUIRED[situation] for key in item.facts]
    needed += [name for name in PARTS_OF[situation] if PARTS[name][2]]
    for key in dict.fromkeys(needed):
        if facts.get(key) or key not in where:
            continue
        words, address = where[key]
        missing.append((f"{'Enter' if key in PARTS else 'Add'} {words}", address))
    return missing


PLACEHOLDER = re.compile(r"\[([a-z][a-z ]*)\]")


def placeholder(key: str) -> str:
    """How a fact is written in a model letter: its name in words, in square brackets."""
    return f"[{key.replace('_', ' ')}]"


def unknown_placeholders(body: str) -> list[str]:
    known = {placeholder(key) for key in FACT_NAMES}
    return sorted({m.group(0) for m in PLACEHOLDER.finditer(body)} - known)


def paragraphs(template, facts: dict) -> list[str]:
    """The letter's text, paragraph by paragraph: its template with each fact put in (only
    the record's facts are put in; nothing in a template is run)."""

    def fact(match):
        key = match.group(1).replace(" ", "_")
        return str(facts[key]) if key in facts else match.group(0)

    text = PLACEHOLDER.sub(fact, template.body)
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


# The facts a model letter may name, in square brackets with spaces for underscores.
FACT_NAMES = [
    "pupil",
    "parents",
    "school",
    "reference",
    "start",
    "days",
    "length",
    "last_day",
    "reasons",
    "description",
    "public_days",
    "work_set",
    "sixth_day",
    "sixth_day_from",
    "sendiass",
    "behaviour_officer",
    "review_address",
    "decided_on",
    "decision",
    "decision_reasons",
    "panel_decision",
    "panel_decided_on",
    "today",
    "board_by",
    "board_if_asked_by",
    "review_by",
    "representations",
    "message",
    "signed_by",
]
