"""The notice of a suspension or permanent exclusion as a school gives it: one question per page
(the GOV.UK question page pattern), the answers kept in the session, then Check your answers,
which sends them through :func:`exclusions.services.notify_exclusion`. Questions that do not
apply are not asked: the length only for a suspension, the virtual school head only for a
looked-after pupil, the social worker only for a pupil who has one."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from config.govuk import GovukDateField, GovukForm
from exclusions.models import Kind, ReasonCode
from exclusions.rules import NoticeSent
from pupils.models import CareStatus


class KindForm(GovukForm):
    kind = forms.ChoiceField(
        label="Is it a suspension or a permanent exclusion?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text="A suspension is for a fixed number of school days. A permanent exclusion "
        "means the pupil is not allowed back.",
        error_messages={"required": "Select suspension or permanent exclusion"},
    )


class StartForm(GovukForm):
    start_date = GovukDateField(
        label="What is the first school day of the exclusion?",
        help_text="For example, 2 3 2026. It must be a school day at the school.",
        error_name="the first day",
    )


class LengthForm(GovukForm):
    sessions = forms.IntegerField(
        label="How long is the suspension, in sessions?",
        help_text="A school day is 2 sessions (morning and afternoon); a lunchtime counts as "
        "half a day. For example, 3 days is 6 sessions.",
        min_value=1, max_value=90,
        error_messages={"required": "Enter the length of the suspension in sessions",
                        "invalid": "Enter the length as a number of sessions, like 6",
                        "min_value": "The length must be at least 1 session",
                        "max_value": "The length must be 90 sessions (45 school days) or fewer"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )  # fmt: skip


class ReasonsForm(GovukForm):
    reasons = forms.ModelMultipleChoiceField(
        label="Why was the pupil excluded?",
        help_text="Select up to three reasons, the main one first, as the school census asks.",
        queryset=ReasonCode.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select one, two or three reasons"},
    )

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"]
        if len(reasons) > 3:
            raise forms.ValidationError("Select no more than three reasons")
        return reasons


class DescriptionForm(GovukForm):
    description = forms.CharField(
        label="What happened?",
        help_text="The parents will read this in the letter: write it for them.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )


class ExamForm(GovukForm):
    misses_public_exam = forms.TypedChoiceField(
        label="Will the pupil miss a public examination or national curriculum test?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the pupil will miss an examination or test"},
    )
    exam_date = GovukDateField(
        label="If yes, the date of the first one",
        help_text="The governing board must consider the exclusion before it, so far as is "
        "reasonably practicable (School Discipline Regulations 2012).",
        required=False, error_name="the date of the examination",
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("exam_date") and "exam_date" not in self.errors
        if cleaned.get("misses_public_exam") and missing:
            self.add_error("exam_date", "Enter the date of the examination or test")
        if not cleaned.get("misses_public_exam"):
            cleaned["exam_date"] = None
        return cleaned


class ParentsForm(GovukForm):
    parents_told_on = GovukDateField(
        label="When were the parents told?", error_name="the date the parents were told"
    )
    parents_told_how = forms.CharField(
        label="How were they told?", max_length=100,
        help_text="For example, by phone, then a letter handed over at the school gate.",
        error_messages={"required": "Enter how the parents were told"},
    )  # fmt: skip


class BoardForm(GovukForm):
    board_told_on = GovukDateField(
        label="When were the governing board and the local authority told?",
        help_text="The board's time limits count from when it received notice, not from the "
        "day you record this.",
        error_name="the date the board was told",
    )
    board_told_how = forms.ChoiceField(
        label="How was the notice sent?", choices=NoticeSent.CHOICES, widget=forms.RadioSelect,
        help_text="A notice sent by first class post counts as received on the second working "
        "day after posting (School Discipline Regulations 2012).",
        error_messages={"required": "Select how the notice was sent"},
    )  # fmt: skip


class WorkSetForm(GovukForm):
    work_set = forms.CharField(
        label="What work is set for the first five school days? (optional)",
        help_text="Schools should set and mark work for the first five days (DfE guidance).",
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )  # fmt: skip


class VirtualSchoolForm(GovukForm):
    virtual_school_contacted_on = GovukDateField(
        label="When was the virtual school head contacted?",
        help_text="The pupil is looked after: the head should contact the virtual school head "
        "before deciding to exclude (DfE guidance). Leave it empty if they have not been.",
        required=False, error_name="the date the virtual school head was contacted",
    )  # fmt: skip


class SocialWorkerForm(GovukForm):
    social_worker_told_on = GovukDateField(
        label="When was the pupil's social worker told?",
        help_text="The head must tell the pupil's social worker without delay (School "
        "Discipline Regulations 2012, as amended in 2023).",
        error_name="the date the social worker was told",
    )


@dataclass(frozen=True)
class Question:
    slug: str
    form: type
    title: str  # the Check your answers key
    applies: Callable = lambda pupil, answers: True


QUESTIONS = [
    Question("kind", KindForm, "Suspension or permanent exclusion"),
    Question("start", StartForm, "First day"),
    Question("length", LengthForm, "Length",
             lambda pupil, answers: answers.get("kind") == Kind.SUSPENSION),
    Question("reasons", ReasonsForm, "Reasons"),
    Question("what-happened", DescriptionForm, "What happened"),
    Question("examination", ExamForm, "Public examination or test missed"),
    Question("parents", ParentsForm, "Parents told"),
    Question("board", BoardForm, "Governing board and local authority told"),
    Question("work", WorkSetForm, "Work for the first five days"),
    Question("virtual-school", VirtualSchoolForm, "Virtual school head contacted",
             lambda pupil, answers: pupil.care_status == CareStatus.LOOKED_AFTER),
    Question("social-worker", SocialWorkerForm, "Social worker told",
             lambda pupil, answers: pupil.care_status in CareStatus.with_social_worker()),
]  # fmt: skip
BY_SLUG = {q.slug: q for q in QUESTIONS}
FIELD_QUESTION = {name: q.slug for q in QUESTIONS for name in q.form.base_fields}


class Notice:
    """The answers given so far for one pupil, kept in the session as the pages posted them."""

    def __init__(self, request, pupil):
        self.session = request.session
        self.key = f"exclusion-notice-{pupil.pk}"
        self.pupil = pupil
        self.posted: dict[str, dict] = self.session.get(self.key, {})
        self._answers: dict | None = None  # validated once per request, not once per use

    def save_page(self, slug: str, data) -> None:
        self.posted[slug] = {k: data.getlist(k) for k in data if k != "csrfmiddlewaretoken"}
        self.session[self.key] = self.posted
        self._answers = None

    def clear(self) -> None:
        self.session.pop(self.key, None)
        self.posted, self._answers = {}, None

    def form(self, question: Question, data=None):
        if data is None and question.slug in self.posted:
            data = _querydict(self.posted[question.slug])
        initial = {}
        if question.slug == "board":
            initial = {"board_told_on": timezone.localdate(), "board_told_how": NoticeSent.EMAIL}
        return question.form(data=data, initial=initial)

    def answers(self) -> dict:
        """What the pages answered, cleaned, for the questions that apply (a copy: the caller
        may take from it)."""
        if self._answers is None:
            cleaned: dict = {}
            self._valid: set[str] = set()
            for question in QUESTIONS:
                if question.slug in self.posted and question.applies(self.pupil, cleaned):
                    form = self.form(question)
                    if form.is_valid():
                        cleaned.update(form.cleaned_data)
                        self._valid.add(question.slug)
            self._answers = cleaned
        return dict(self._answers)

    def applicable(self) -> list[Question]:
        answers = self.answers()
        return [q for q in QUESTIONS if q.applies(self.pupil, answers)]

    def unanswered(self) -> list[Question]:
        applicable = self.applicable()  # validates every page's answers, once
        return [q for q in applicable if q.slug not in self._valid]

    def next_after(self, slug: str) -> Question | None:
        questions = self.applicable()
        slugs = [q.slug for q in questions]
        if slug not in slugs:
            return questions[0] if questions else None
        later = questions[slugs.index(slug) + 1 :]
        return later[0] if later else None

    def before(self, slug: str) -> Question | None:
        questions = self.applicable()
        slugs = [q.slug for q in questions]
        if slug not in slugs or slugs.index(slug) == 0:
            return None
        return questions[slugs.index(slug) - 1]

    def summary(self) -> list[tuple[str, str, str]]:
        """(question, answer in words, slug) for Check your answers."""
        answers = self.answers()
        rows = []
        for question in self.applicable():
            rows.append((question.title, _in_words(question.slug, answers), question.slug))
        return rows


def _querydict(posted: dict):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in posted.items():
        data.setlist(key, values)
    return data


def _date(value) -> str:
    return f"{value:%-d %B %Y}" if value else "Not given"


def _in_words(slug: str, a: dict) -> str:
    if slug == "kind":
        return Kind(a["kind"]).label if a.get("kind") else "Not answered"
    if slug == "start":
        return f"{a['start_date']:%A %-d %B %Y}" if a.get("start_date") else "Not answered"
    if slug == "length":
        sessions = a.get("sessions")
        if not sessions:
            return "Not answered"
        days = sessions / 2
        return f"{sessions} sessions ({days:g} school day{'s' if days != 1 else ''})"
    if slug == "reasons":
        return "; ".join(r.label for r in a.get("reasons", [])) or "Not answered"
    if slug == "what-happened":
        return a.get("description") or "Not answered"
    if slug == "examination":
        if "misses_public_exam" not in a:
            return "Not answered"
        return f"Yes, on {_date(a.get('exam_date'))}" if a["misses_public_exam"] else "No"
    if slug == "parents":
        if not a.get("parents_told_on"):
            return "Not answered"
        return f"{_date(a['parents_told_on'])}, {a.get('parents_told_how', '')}"
    if slug == "board":
        if not a.get("board_told_on"):
            return "Not answered"
        return (
            f"{_date(a['board_told_on'])}, {dict(NoticeSent.CHOICES)[a['board_told_how']].lower()}"
        )
    if slug == "work":
        return a.get("work_set") or "None set"
    if slug == "virtual-school":
        return _date(a.get("virtual_school_contacted_on")) if a.get(
            "virtual_school_contacted_on") else "Not contacted"  # fmt: skip
    if slug == "social-worker":
        return _date(a.get("social_worker_told_on"))
    return ""
