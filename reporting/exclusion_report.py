"""The authority's exclusions picture for a quarter, from the exclusions the user may see."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from deadlines.codes import KindCode
from deadlines.models import Deadline
from exclusions.models import Exclusion, Kind, Outcome, OutcomeKind
from pupils.models import CareStatus, Enrolment, Phase, SenStatus
from reporting.measures import Breakdown, Figure, breakdown_of, cell_filter, year_groups_of
from reporting.quarters import Quarter

STATUTORY_KINDS = [
    KindCode.BOARD_CONSIDER, KindCode.BOARD_CONSIDER_REQUESTED, KindCode.SIXTH_DAY,
    KindCode.REVIEW_APPLICATION, KindCode.PANEL_MEETING, KindCode.BOARD_RECONSIDER,
]  # fmt: skip


class ExclusionReport:
    def __init__(self, user, quarter: Quarter):
        self.user = user
        self.quarter = quarter
        self.exclusions = Exclusion.objects.visible_to(user).counted()

    def records(self, key: str):
        span = (self.quarter.start, self.quarter.end)
        sets = {
            "all": self.exclusions.filter(start_date__range=span),
            "suspensions": self.exclusions.filter(kind=Kind.SUSPENSION, start_date__range=span),
            "permanent": self.exclusions.filter(kind=Kind.PERMANENT, start_date__range=span),
        }
        if key not in sets:
            raise KeyError(key)
        return sets[key]

    CELLS = {
        "by_school": "school__name",
        "by_reason": "reasons__code",
        "by_phase": "school__phase",
        "by_year_group": "year_group",
        "by_sen": "pupil__sen_status",
        "by_care": "pupil__care_status",
    }

    def cell_records(self, breakdown: str, raw: str):
        return cell_filter(self.records("all"), self.CELLS[breakdown], raw, self.quarter)

    def figures(self) -> list[Figure]:
        span = (self.quarter.start, self.quarter.end)
        counts = self.exclusions.filter(start_date__range=span).aggregate(
            suspensions=Count("pk", filter=Q(kind=Kind.SUSPENSION)),
            permanent=Count("pk", filter=Q(kind=Kind.PERMANENT)),
            pupils=Count("pupil", distinct=True),
        )
        schools = self.exclusions.values("school").distinct()
        on_roll = Enrolment.objects.current().filter(school__in=schools).count()
        deadlines = Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Exclusion),
            subject_id__in=self.exclusions.values("pk"),
            kind__code__in=STATUTORY_KINDS,
            due_date__range=span,
        ).aggregate(
            met=Count("pk", filter=Q(status="met")),
            missed=Count("pk", filter=Q(status="missed")),
        )
        reintegrations = Outcome.objects.filter(
            exclusion__in=self.exclusions,
            kind=OutcomeKind.REINTEGRATION,
            start_date__range=span,
        ).count()
        rate = 100 * (counts["suspensions"] + counts["permanent"]) / on_roll if on_roll else None
        return [
            Figure("suspensions", "Suspensions", counts["suspensions"], "suspensions"),
            Figure("permanent", "Permanent exclusions", counts["permanent"], "permanent"),
            Figure("pupils", "Pupils suspended or excluded", counts["pupils"]),
            Figure(
                "rate",
                "Suspensions and exclusions per 100 pupils on roll",
                None if rate is None else round(rate, 2),
                note=f"{on_roll} pupils on roll at those schools now",
            ),
            Figure("deadlines_met", "Statutory deadlines met", deadlines["met"]),
            Figure("deadlines_missed", "Statutory deadlines missed", deadlines["missed"]),
            Figure("reintegrations", "Reintegrations after permanent exclusion", reintegrations),
        ]

    def breakdowns(self) -> list[Breakdown]:
        span = (self.quarter.start, self.quarter.end)
        these = self.exclusions.filter(start_date__range=span)
        reasons = breakdown_of(these, "reasons__code", "by_reason", "By reason")
        return [
            breakdown_of(these, "school__name", "by_school", "By school"),
            reasons,
            breakdown_of(these, "school__phase", "by_phase", "By phase", Phase.choices),
            year_groups_of(these, self.quarter),
            breakdown_of(these, "pupil__sen_status", "by_sen", "By SEN status", SenStatus.choices),
            breakdown_of(
                these, "pupil__care_status", "by_care", "By care status", CareStatus.choices
            ),
            Breakdown(
                "by_ethnicity", "By ethnicity", [("Not recorded in this product", these.count())]
            ),
        ]
