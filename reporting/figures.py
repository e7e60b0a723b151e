"""Quarterly figures, each from an SQL aggregate over the records the user may see
(``visible_to``), so a figure and its drill-down always agree and an arm's-length service's
cases never reach another service's manager. Seeds 001 and 004 name the figures."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
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
from django.db.models.functions import ExtractYear
from django.utils import timezone

from cases.models import Case, Evaluation, Review, ServiceSettings
from exclusions.models import Exclusion
from plans.models import PartTimeTimetable
from pupils.years import academic_year_of
from referrals.models import ROUTED_STATUSES, Referral, Status
from reporting.quarters import Quarter

REVIEW_ON_TIME_DAYS = 14
LAST_YEAR_KEPT_SECONDS = 15 * 60
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


def within(field: str, span: tuple[datetime.date, datetime.date]) -> Q:
    """A timestamp ``field`` on a local day from ``span[0]`` to ``span[1]``, inclusive: what
    ``__date__range`` means, written as a range on the column so an index can answer it."""
    first, last = span
    return Q(
        **{
            f"{field}__gte": local_midnight(first),
            f"{field}__lt": local_midnight(last + datetime.timedelta(days=1)),
        }
    )


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment ``day`` begins in the service's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


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
            "received": self.referrals.filter(within("submitted_at", span)),
            "accepted": self.referrals.filter(
                within("decided_at", span), status__in=ROUTED_STATUSES
            ),
            "declined": self.referrals.filter(within("decided_at", span), status=Status.DECLINED),
            "redirected": self.referrals.filter(
                within("decided_at", span), status=Status.REDIRECTED
            ),
            "allocated": self.referrals.filter(within("allocated_at", span)),
            "allocated_in_target": self.referrals.filter(
                within("allocated_at", span), allocation_target_met=True
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
        # Only the quarter's referrals are read: each test below is a range an index serves.
        in_quarter = (
            within("submitted_at", span) | within("decided_at", span)
            | within("allocated_at", span)
        )  # fmt: skip
        referral_counts = self.referrals.filter(in_quarter).aggregate(
            received=Count("pk", filter=within("submitted_at", span)),
            accepted=Count(
                "pk",
                filter=within("decided_at", span) & Q(status__in=ROUTED_STATUSES),
            ),
            declined=Count("pk", filter=within("decided_at", span) & Q(status=Status.DECLINED)),
            redirected=Count("pk", filter=within("decided_at", span) & Q(status=Status.REDIRECTED)),
            allocated=Count("pk", filter=within("allocated_at", span)),
            in_target=Count(
                "pk", filter=within("allocated_at", span) & Q(allocation_target_met=True)
            ),
            # PERCENTILE_CONT ignores NULLs: only this quarter's allocations count.
            median_days=Median(
                When_(
                    When(
                        within("allocated_at", span),
                        then=_epoch("allocated_at", "submitted_at") / 86400.0,
                    ),
                    default=None,
                    output_field=FloatField(),
                )
            ),
        )
        # Only cases open at some time in the quarter are read: every count below is of them.
        overlapping = self.cases.filter(opened_on__lte=q.end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=q.start)
        )
        case_counts = overlapping.aggregate(
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
        per_case = closed.aggregate(
            weeks=Avg(_epoch("closed_on", "opened_on") / WEEK_SECONDS),
            contacts=Avg("contact_count"),  # kept by the database as contacts are recorded
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

    def figures_with_last_year(self) -> list[Figure]:
        """This quarter's figures, each with the same quarter a year before beside it. That
        quarter is long closed and changes only when a record is backdated, so its figures are
        kept for a quarter of an hour, per user and services (they depend on what the user may
        see): a manager moving between services and quarters pays for them once."""
        before = self.quarter.year_before()
        services = ",".join(str(pk) for pk in sorted(self.services))
        key = f"reporting:figures:{self.user.pk}:{services}:{before.key}"
        previous = cache.get(key)
        if previous is None:
            last_year = ServiceReport(self.user, self.services, before).figures()
            previous = {figure.key: figure.value for figure in last_year}
            cache.set(key, previous, LAST_YEAR_KEPT_SECONDS)
        figures = self.figures()
        for figure in figures:
            figure.last_year = previous.get(figure.key)
        return figures

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
        counts = grouped_counts(
            received.annotate(year_group=year_group_expression(self.quarter)),
            ["referral_type__name", "school__name", "school__phase", "year_group",
             "pupil__gender", "pupil__sen_status", "pupil__care_status",
             "pupil__pupil_premium"],
        )  # fmt: skip
        return [
            _labelled(counts["referral_type__name"], "by_type", "By type"),
            _labelled(counts["school__name"], "by_school", "By school"),
            _labelled(counts["school__phase"], "by_phase", "By phase", Phase.choices),
            _year_group_rows(counts["year_group"]),
            _labelled(counts["pupil__gender"], "by_gender", "By gender", Gender.choices),
            _labelled(counts["pupil__sen_status"], "by_sen", "By SEN status", SenStatus.choices),
            _labelled(
                counts["pupil__care_status"], "by_care", "By care status", CareStatus.choices
            ),
            _labelled(
                counts["pupil__pupil_premium"],
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
        shown = [first]
        while len(shown) < quarters:
            shown.append(shown[-1].next())
        counts = self.referrals.filter(
            within("submitted_at", (first.start, self.quarter.end))
        ).aggregate(
            **{
                q.key: Count("submitted_at", filter=within("submitted_at", (q.start, q.end)))
                for q in shown
            }
        )
        rows = [(q.short_label, counts[q.key]) for q in shown]
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


def grouped_counts(queryset, fields: list[str]) -> dict[str, list[tuple[object, int]]]:
    """``{field: [(value, count), …]}`` for each of ``fields`` over ``queryset``, in one query:
    ``GROUPING SETS`` over the queryset's own SQL, so the rows counted are exactly the rows it
    would list (its ``visible_to`` filter included) and the table is read once, not once for
    each breakdown."""
    aliases = {name: f"g{index}" for index, name in enumerate(fields)}
    inner = queryset.order_by().values(**{alias: F(name) for name, alias in aliases.items()})
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(aliases.values())
    sets = ", ".join(f"({alias})" for alias in aliases.values())
    every = (1 << len(fields)) - 1
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT GROUPING({columns}), {columns}, COUNT(*) FROM ({sql}) AS rows "
            f"GROUP BY GROUPING SETS ({sets})",
            params,
        )
        found = cursor.fetchall()
    counts = {}
    for index, name in enumerate(fields):
        mask = every ^ (1 << (len(fields) - 1 - index))  # only this field grouped
        counts[name] = [(row[1 + index], row[-1]) for row in found if row[0] == mask]
    return counts


def _breakdown(queryset, field_name, key, title, choices=None) -> Breakdown:
    rows = (
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )
    return _labelled(rows, key, title, choices)


def _labelled(rows, key, title, choices=None) -> Breakdown:
    labelled = sorted(
        ((_label(choices, value) if choices else str(value or "Not recorded"), n, value)
         for value, n in rows),
        key=lambda row: (-row[1], row[0]),
    )  # fmt: skip
    return Breakdown(
        key, title, [(label, n) for label, n, _ in labelled], [raw for *_, raw in labelled]
    )


def _year_groups(queryset, quarter) -> Breakdown:
    rows = (
        queryset.order_by()
        .annotate(year_group=year_group_expression(quarter))
        .values_list("year_group")
        .annotate(n=Count("pk"))
        .values_list("year_group", "n")
    )
    return _year_group_rows(rows)


def _year_group_rows(rows) -> Breakdown:
    from pupils.years import year_group_label

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
