"""Quarterly figures, each from an SQL aggregate over the records the user may see
(``visible_to``), so a figure and its drill-down always agree and an arm's-length service's
cases never reach another service's manager. Seeds 001 and 004 name the figures."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models import (
    Case as When_,
)
from django.db.models.functions import ExtractYear, TruncQuarter

from cases.models import Case, Evaluation, Review, ServiceSettings
from exclusions.models import Exclusion
from plans.models import PartTimeTimetable
from pupils.years import academic_year_of
from referrals.models import Referral, Status
from reporting.quarters import Quarter

REVIEW_ON_TIME_DAYS = 14
WEEK_SECONDS = 7 * 24 * 3600


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _epoch(later, earlier):
    from django.db.models import Func

    return Func(
        F(later) - F(earlier),
        function="EXTRACT",
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


@dataclass
class Figure:
    key: str
    label: str
    value: object
    drill: str = ""
    note: str = ""


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    values: list = field(default_factory=list)  # the raw value behind each row, for drilling

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def cells(self) -> list[tuple[str, int, str]]:
        values = self.values or [None] * len(self.rows)
        return [
            (label, count, "" if raw is None else str(raw))
            for (label, count), raw in zip(self.rows, values, strict=True)
        ]


def cell_filter(queryset, field_name: str, raw: str, quarter: Quarter):
    """The records of one breakdown row: ``raw`` as sent back by the page."""
    if field_name == "year_group":
        return queryset.annotate(year_group=year_group_expression(quarter)).filter(
            year_group=int(raw)
        )
    if raw == "":
        return queryset.filter(Q(**{f"{field_name}__isnull": True}) | Q(**{field_name: ""}))
    if raw in {"True", "False"}:
        return queryset.filter(**{field_name: raw == "True"})
    return queryset.filter(**{field_name: raw})


def year_group_expression(quarter: Quarter):
    """National curriculum year from date of birth, in SQL (pupils.years, the same rule)."""
    cohort = When_(
        When(pupil__date_of_birth__month__lt=9, then=ExtractYear("pupil__date_of_birth") - 1),
        default=ExtractYear("pupil__date_of_birth"),
        output_field=IntegerField(),
    )
    return Value(academic_year_of(quarter.start)) - cohort - Value(5)


def _label(choices, value) -> str:
    return dict(choices).get(value, str(value) if value not in (None, "") else "Not recorded")


class ServiceReport:
    """The quarterly figures of one or more services (seeds 001, 004)."""

    def __init__(self, user, services: list[int], quarter: Quarter):
        self.user = user
        self.services = services
        self.quarter = quarter
        self.referrals = Referral.objects.visible_to(user).filter(service__in=services)
        self.cases = Case.objects.visible_to(user).filter(service__in=services)

    # The record sets behind each figure: the dashboard counts them, the drill-down lists them.
    def records(self, key: str):
        q = self.quarter
        span = (q.start, q.end)
        sets = {
            "received": self.referrals.filter(submitted_at__date__range=span),
            "accepted": self.referrals.filter(
                decided_at__date__range=span, status__in=[Status.ACCEPTED, Status.ALLOCATED]
            ),
            "declined": self.referrals.filter(decided_at__date__range=span, status=Status.DECLINED),
            "redirected": self.referrals.filter(
                decided_at__date__range=span, status=Status.REDIRECTED
            ),
            "allocated": self.referrals.filter(allocated_at__date__range=span),
            "allocated_in_target": self.referrals.filter(
                allocated_at__date__range=span, allocation_target_met=True
            ),
            "open_at_start": self.cases.filter(opened_on__lt=q.start).filter(
                Q(closed_on__isnull=True) | Q(closed_on__gte=q.start)
            ),
            "open_at_end": self.cases.filter(opened_on__lte=q.end).filter(
                Q(closed_on__isnull=True) | Q(closed_on__gt=q.end)
            ),
            "closed": self.cases.filter(closed_on__range=span),
        }
        if key not in sets:
            raise KeyError(key)
        return sets[key]

    def figures(self) -> list[Figure]:
        q = self.quarter
        span = (q.start, q.end)
        referral_counts = self.referrals.aggregate(
            received=Count("pk", filter=Q(submitted_at__date__range=span)),
            accepted=Count(
                "pk",
                filter=Q(
                    decided_at__date__range=span, status__in=[Status.ACCEPTED, Status.ALLOCATED]
                ),
            ),
            declined=Count("pk", filter=Q(decided_at__date__range=span, status=Status.DECLINED)),
            redirected=Count(
                "pk", filter=Q(decided_at__date__range=span, status=Status.REDIRECTED)
            ),
            allocated=Count("pk", filter=Q(allocated_at__date__range=span)),
            in_target=Count(
                "pk", filter=Q(allocated_at__date__range=span, allocation_target_met=True)
            ),
            # PERCENTILE_CONT ignores NULLs: only this quarter's allocations count.
            median_days=Median(
                When_(
                    When(
                        allocated_at__date__range=span,
                        then=_epoch("allocated_at", "submitted_at") / 86400.0,
                    ),
                    default=None,
                    output_field=FloatField(),
                )
            ),
        )
        case_counts = self.cases.aggregate(
            open_at_start=Count(
                "pk",
                filter=Q(opened_on__lt=q.start)
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=q.start)),
            ),
            open_at_end=Count(
                "pk",
                filter=Q(opened_on__lte=q.end)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=q.end)),
            ),
            closed=Count("pk", filter=Q(closed_on__range=span)),
        )
        closed = self.cases.filter(closed_on__range=span)
        per_case = closed.annotate(contact_count=Count("contacts")).aggregate(
            weeks=Avg(_epoch("closed_on", "opened_on") / WEEK_SECONDS),
            contacts=Avg("contact_count"),
        )
        satisfaction = Evaluation.objects.filter(
            case__in=closed, respondent="school", rating__isnull=False
        ).aggregate(mean=Avg("rating"), count=Count("pk"))
        year_ago = (q.start - datetime.timedelta(days=365), q.end - datetime.timedelta(days=365))
        excluded_again = Exclusion.objects.counted().filter(
            pupil=OuterRef("pupil"),
            start_date__gt=OuterRef("closed_on"),
            start_date__lte=OuterRef("closed_on") + datetime.timedelta(days=365),
        )
        outcome = (
            self.cases.filter(closed_on__range=year_ago)
            .annotate(again=Exists(excluded_again))
            .aggregate(total=Count("pk"), not_again=Count("pk", filter=Q(again=False)))
        )
        reviews = (
            Review.objects.filter(quarter_start=q.start)
            .filter(Q(case__in=self.cases) | Q(referral__in=self.referrals))
            .aggregate(
                total=Count("pk"),
                on_time=Count(
                    "pk",
                    filter=Q(
                        decided_at__date__lte=q.start + datetime.timedelta(days=REVIEW_ON_TIME_DAYS)
                    ),
                ),
            )
        )
        settings = ServiceSettings.objects.filter(service__in=self.services).aggregate(
            maximum=Avg("maximum_involvement_weeks"), minimum=Avg("minimum_contacts")
        )
        allocated = referral_counts["allocated"]
        return [
            Figure("received", "Referrals received", referral_counts["received"], "received"),
            Figure("accepted", "Referrals accepted", referral_counts["accepted"], "accepted"),
            Figure("declined", "Referrals declined", referral_counts["declined"], "declined"),
            Figure(
                "redirected", "Referrals redirected", referral_counts["redirected"], "redirected"
            ),
            Figure("allocated", "Referrals allocated", allocated, "allocated"),
            Figure(
                "in_target",
                "Allocated within the target",
                _count_and_share(referral_counts["in_target"], allocated),
                "allocated_in_target",
            ),
            Figure(
                "median_days",
                "Median days from referral to allocation",
                _round(referral_counts["median_days"]),
            ),
            Figure(
                "open_at_start",
                "Open cases at the start",
                case_counts["open_at_start"],
                "open_at_start",
            ),
            Figure(
                "open_at_end", "Open cases at the end", case_counts["open_at_end"], "open_at_end"
            ),
            Figure("closed", "Cases closed", case_counts["closed"], "closed"),
            Figure(
                "weeks_per_case",
                "Weeks of involvement per closed case",
                _round(per_case["weeks"]),
                note=f"maximum {settings['maximum']:g} weeks" if settings["maximum"] else "",
            ),
            Figure(
                "contacts_per_case",
                "Contacts per closed case",
                _round(per_case["contacts"]),
                note=f"minimum {settings['minimum']:g}" if settings["minimum"] else "",
            ),
            Figure(
                "not_excluded_again",
                "Not suspended or excluded again within 12 months of closure",
                _count_and_share(outcome["not_again"], outcome["total"]),
                note="cases closed in the same quarter a year earlier",
            ),
            Figure(
                "satisfaction",
                "School satisfaction (out of 5)",
                _round(satisfaction["mean"]),
                note=(
                    f"{satisfaction['count']} rating{'s' if satisfaction['count'] != 1 else ''}, "
                    f"response rate {_share(satisfaction['count'], case_counts['closed'])}"
                ),
            ),
            Figure(
                "reviews_on_time",
                "Quarterly reviews decided on time",
                _count_and_share(reviews["on_time"], reviews["total"]),
            ),
        ]

    CELLS = {
        "by_type": ("received", "referral_type__name"),
        "by_school": ("received", "school__name"),
        "by_phase": ("received", "school__phase"),
        "by_year_group": ("received", "year_group"),
        "by_gender": ("received", "pupil__gender"),
        "by_sen": ("received", "pupil__sen_status"),
        "by_care": ("received", "pupil__care_status"),
        "by_premium": ("received", "pupil__pupil_premium"),
        "closed_by_reason": ("closed", "closure_reason"),
    }

    def cell_records(self, breakdown: str, raw: str):
        source, field_name = self.CELLS[breakdown]
        return cell_filter(self.records(source), field_name, raw, self.quarter)

    def breakdowns(self) -> list[Breakdown]:
        from pupils.models import CareStatus, Gender, Phase, SenStatus

        received = self.records("received")
        return [
            _breakdown(received, "referral_type__name", "by_type", "By type"),
            _breakdown(received, "school__name", "by_school", "By school"),
            _breakdown(received, "school__phase", "by_phase", "By phase", Phase.choices),
            _year_groups(received, self.quarter),
            _breakdown(received, "pupil__gender", "by_gender", "By gender", Gender.choices),
            _breakdown(received, "pupil__sen_status", "by_sen", "By SEN status", SenStatus.choices),
            _breakdown(
                received, "pupil__care_status", "by_care", "By care status", CareStatus.choices
            ),
            _breakdown(
                received,
                "pupil__pupil_premium",
                "by_premium",
                "By pupil premium",
                [(True, "Pupil premium"), (False, "No pupil premium")],
            ),
            _breakdown(
                self.records("closed"),
                "closure_reason",
                "closed_by_reason",
                "Cases closed, by reason",
                _closure_choices(),
            ),
        ]

    def trend(self, quarters: int = 4) -> list[tuple[str, int]]:
        """Referrals received in each of the last few quarters, in one query."""
        first = self.quarter
        for _ in range(quarters - 1):
            first = first.previous()
        counts = dict(
            self.referrals.filter(submitted_at__date__range=(first.start, self.quarter.end))
            .annotate(quarter=TruncQuarter("submitted_at"))
            .values_list("quarter")
            .annotate(n=Count("pk"))
            .values_list("quarter", "n")
        )
        by_start = {moment.date(): n for moment, n in counts.items()}
        rows, q = [], first
        for _ in range(quarters):
            rows.append((q.short_label, by_start.get(q.start, 0)))
            q = q.next()
        return rows


def timetable_figures(user, quarter: Quarter) -> list[Figure]:
    active = PartTimeTimetable.objects.visible_to(user).filter(
        start_date__lte=quarter.end, end_date__gte=quarter.start
    )
    counts = active.aggregate(
        active=Count("pk"), overdue=Count("pk", filter=Q(next_review_date__lt=quarter.end))
    )
    return [
        Figure("timetables_active", "Part-time timetables active", counts["active"]),
        Figure("timetables_overdue", "Part-time timetables overdue a review", counts["overdue"]),
    ]


def _closure_choices():
    from cases.models import ClosureReason

    return ClosureReason.choices


def _breakdown(queryset, field_name, key, title, choices=None) -> Breakdown:
    rows = (
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )
    labelled = sorted(
        ((_label(choices, value) if choices else str(value or "Not recorded"), n, value)
         for value, n in rows),
        key=lambda row: (-row[1], row[0]),
    )  # fmt: skip
    return Breakdown(
        key, title, [(label, n) for label, n, _ in labelled], [raw for *_, raw in labelled]
    )


def _year_groups(queryset, quarter) -> Breakdown:
    from pupils.years import year_group_label

    rows = (
        queryset.order_by()
        .annotate(year_group=year_group_expression(quarter))
        .values_list("year_group")
        .annotate(n=Count("pk"))
        .values_list("year_group", "n")
    )
    ordered = sorted(rows)
    return Breakdown(
        "by_year_group",
        "By year group",
        [(year_group_label(year), n) for year, n in ordered],
        [year for year, _ in ordered],
    )


def _round(value):
    return None if value is None else round(float(value), 1)


def _share(part: int, whole: int) -> str:
    return "no cases" if not whole else f"{round(100 * part / whole)}%"


def _count_and_share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({_share(part, whole)})" if whole else "0"
