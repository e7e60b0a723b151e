"""The model letters, version 1: one for each situation, written from the 2012 Regulations,
the 2007 Regulations, the Education and Inspections Act 2006 and the DfE's guidance on
informing parents, with the record's facts in square brackets ([pupil], [board by]).
Installed by a data migration (and for the tests, with the rest of the
reference data); authorities add later versions as data, and a letter keeps its version."""

import datetime

GUIDANCE = (
    "School Discipline (Pupil Exclusions and Reviews) (England) Regulations 2012; Education "
    "(Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007; Education "
    "and Inspections Act 2006, ss. 103-104; DfE suspension and permanent exclusion guidance"
)

OPENING = """[today]

Dear [parents],

[message]"""

PUBLIC_PLACE = """You must make sure that [pupil] is not in a public place during school \
hours on these days without a good reason: [public days]. You may be given a fixed penalty \
notice or prosecuted if you do not.

The school has set work for [pupil] for the first five school days: [work set]"""

ADVICE = """For free, impartial advice you can contact the SEND information, advice and support \
service (SENDIASS): [sendiass]. You can also contact the authority's behaviour officer, who \
supports parents through exclusion: [behaviour officer]."""

CLOSING = """Yours sincerely,

[signed by]"""

REASONS = """The reasons are: [reasons]. [description]"""

MEETING = """You have the right to attend the meeting, to be represented at it (at your own \
expense) and to bring a friend. You may also ask for the meeting to be held by remote access \
(for example by video call): say so when you write to the board."""

REPRESENT = """You have the right to make representations about this decision to the governing \
board, and [pupil] may be involved too. Make your representations as follows: \
[representations]"""

SIXTH_SCHOOL = """From [sixth day from], the sixth school day of the suspension, the school \
will provide full-time education for [pupil]: [sixth day]"""

BODIES = {
    "suspension_short": [
        OPENING,
        """I am writing to tell you that I have decided to suspend [pupil] from \
[school] for [length], from [start] to \
[last day] (our reference [reference]).""",
        REASONS,
        PUBLIC_PLACE,
        """You have the right to make representations about this decision to the governing \
board. The board must consider them, although it cannot direct that [pupil] is reinstated, \
and any representations will be kept with [pupil]'s record. Make your representations as \
follows: [representations]. If the board meets, you may ask for the meeting to be held by \
remote access (for example by video call).""",
        ADVICE,
        CLOSING,
    ],
    "suspension_medium": [
        OPENING,
        """I am writing to tell you that I have decided to suspend [pupil] from \
[school] for [length], from [start] to [last day] (our reference \
[reference]). This takes the days [pupil] has been suspended this term to more than \
five.""",
        REASONS,
        PUBLIC_PLACE,
        SIXTH_SCHOOL,
        REPRESENT,
        """Because the suspension takes [pupil]'s total to more than five school days in \
this term, you may ask the governing board to meet to consider whether [pupil] should be \
reinstated. If you ask, the board must meet within 50 school days of being told of the \
suspension: no later than [board if asked by].""",
        MEETING,
        ADVICE,
        CLOSING,
    ],
    "suspension_long": [
        OPENING,
        """I am writing to tell you that I have decided to suspend [pupil] from \
[school] for [length], from [start] to [last day] (our reference \
[reference]).""",
        REASONS,
        PUBLIC_PLACE,
        SIXTH_SCHOOL,
        REPRESENT,
        """The governing board must meet to consider whether [pupil] should be \
reinstated, no later than [board by]. The clerk will write to you with the date.""",
        MEETING,
        ADVICE,
        CLOSING,
    ],
    "permanent": [
        OPENING,
        """I am writing to tell you that I have decided to exclude [pupil] from \
[school] permanently, from [start]: [pupil] has been permanently excluded (our \
reference [reference]). I realise this will be distressing for you.""",
        REASONS,
        PUBLIC_PLACE,
        """From [sixth day from], the sixth school day of the exclusion, the local \
authority will provide full-time education for [pupil]: [sixth day]""",
        REPRESENT,
        """The governing board must meet to consider whether [pupil] should be \
reinstated, no later than [board by]. The clerk will write to you with the date.""",
        MEETING,
        ADVICE,
        CLOSING,
    ],
    "board_upheld_permanent": [
        OPENING,
        """The governing board met on [decided on] to consider the permanent exclusion \
of [pupil] from [school] (our reference [reference]). The board's decision: \
[decision]. Its reasons: [decision reasons]""",
        """You have the right to apply for an independent review of the board's decision. \
Your application must be received by [review by], at: [review address]. Set out in it \
why you think the decision should be reviewed.""",
        """Whether or not [pupil] has special educational needs, you may ask for a SEN \
expert to attend the independent review and advise the panel, at no cost to you. Say so in \
your application.""",
        """If you believe the exclusion was the result of disability discrimination, you may \
also make a claim under the Equality Act 2010 to the First-tier Tribunal (Special Educational \
Needs and Disability), within six months of the exclusion.""",
        ADVICE,
        CLOSING,
    ],
    "board_decision": [
        OPENING,
        """The governing board met on [decided on] to consider [pupil]'s exclusion \
from [school] (our reference [reference]). The board's decision: [decision]. Its \
reasons: [decision reasons]""",
        ADVICE,
        CLOSING,
    ],
    "panel_decision": [
        OPENING,
        """The independent review panel met on [panel decided on] to review the governing \
board's decision on [pupil]'s permanent exclusion from [school] (our reference \
[reference]). The panel's decision: [panel decision].""",
        """If the panel recommended or directed that the governing board reconsider its \
decision, the board must reconsider within 10 school days of being told of the panel's \
decision, and will write to you with the outcome.""",
        ADVICE,
        CLOSING,
    ],
}


def install_model_letters(LetterTemplate=None):
    if LetterTemplate is None:
        from exclusions.models import LetterTemplate
    for situation, paragraphs in BODIES.items():
        LetterTemplate.objects.get_or_create(
            situation=situation, version=1,
            defaults={"guidance": GUIDANCE, "effective_from": datetime.date(2023, 9, 1),
                      "body": "\n\n".join(paragraphs)},
        )  # fmt: skip
