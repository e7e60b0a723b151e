"""Quarterly figures, each from an SQL aggregate over the records the user may see
(``visible_to``), so a figure and its drill-down always agree and an arm's-length service's
cases never reach another service's manager. Seeds 001 and 004 name the figures."""

import datetime

from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    When,
)
from django.db.models import (
    Case as When_,
)

from cases.models import Case, Evaluation, Review, ServiceSettings
from exclusions.models import Exclusion
from plans.models import PartTimeTimetable
from referrals.models import ROUTED_STATUSES, Referral, Status
from reporting.measures import (
    Breakdown,
    Figure,
    Median,
    breakdown_of,
    cell_filter,
    count_and_share,
    epoch_between,
    grouped_counts,
    labelled_rows,
    rounded,
    share_of,
    within,
    year_group_expression,
    year_group_rows,
)
from reporting.quarters import Quarter

REVIEW_ON_TIME_DAYS = 14


LAST_YEAR_KEPT_SECONDS = 15 * 60


WEEK_SECONDS = 7 * 24 * 3600


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
                        then=epoch_between("allocated_at", "submitted_at") / 86400.0,
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
            weeks=Avg(epoch_between("closed_on", "opened_on") / WEEK_SECONDS),
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
                count_and_share(referral_counts["in_target"], allocated),
                "allocated_in_target",
            ),
            Figure(
                "median_days",
                "Median days from referral to allocation",
                rounded(referral_counts["median_days"]),
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
                rounded(per_case["weeks"]),
                note=f"maximum {settings['maximum']:g} weeks" if settings["maximum"] else "",
            ),
            Figure(
                "contacts_per_case",
                "Contacts per closed case",
                rounded(per_case["contacts"]),
                note=f"minimum {settings['minimum']:g}" if settings["minimum"] else "",
            ),
            Figure(
                "not_excluded_again",
                "Not suspended or excluded again within 12 months of closure",
                count_and_share(outcome["not_again"], outcome["total"]),
                note="cases closed in the same quarter a year earlier",
            ),
            Figure(
                "satisfaction",
                "School satisfaction (out of 5)",
                rounded(satisfaction["mean"]),
                note=(
                    f"{satisfaction['count']} rating{'s' if satisfaction['count'] != 1 else ''}, "
                    f"response rate {share_of(satisfaction['count'], case_counts['closed'])}"
                ),
            ),
            Figure(
                "reviews_on_time",
                "Quarterly reviews decided on time",
                count_and_share(reviews["on_time"], reviews["total"]),
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
            labelled_rows(counts["referral_type__name"], "by_type", "By type"),
            labelled_rows(counts["school__name"], "by_school", "By school"),
            labelled_rows(counts["school__phase"], "by_phase", "By phase", Phase.choices),
            year_group_rows(counts["year_group"]),
            labelled_rows(counts["pupil__gender"], "by_gender", "By gender", Gender.choices),
            labelled_rows(
                counts["pupil__sen_status"], "by_sen", "By SEN status", SenStatus.choices
            ),
            labelled_rows(
                counts["pupil__care_status"], "by_care", "By care status", CareStatus.choices
            ),
            labelled_rows(
                counts["pupil__pupil_premium"],
                "by_premium",
                "By pupil premium",
                [(True, "Pupil premium"), (False, "No pupil premium")],
            ),
            breakdown_of(
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
