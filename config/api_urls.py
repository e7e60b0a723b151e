from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, ContactViewSet
from deadlines.api import DeadlineViewSet, WebhookViewSet
from exclusions.api import ExclusionViewSet
from plans.api import (
    BipViewSet,
    PepMeetingViewSet,
    PspViewSet,
    RiskAssessmentViewSet,
    TimetableViewSet,
)
from pupils.api import PupilViewSet, TransferFileViewSet
from referrals.api import ReferralViewSet
from reporting.api import ExclusionFiguresView, ServiceFiguresView

# Addresses without a trailing slash, as OpenAPI tooling expects (Redocly's recommended rules).
router = DefaultRouter(use_regex_path=False, trailing_slash=False)
router.include_format_suffixes = False  # one address per resource: JSON only
router.register("pupils", PupilViewSet, basename="pupil")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("cases", CaseViewSet, basename="case")
router.register("contacts", ContactViewSet, basename="contact")
router.register("plans/psps", PspViewSet, basename="psp")
router.register("plans/bips", BipViewSet, basename="bip")
router.register("plans/timetables", TimetableViewSet, basename="timetable")
router.register("plans/risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")
router.register("plans/pep-meetings", PepMeetingViewSet, basename="pep-meeting")
router.register("exclusions", ExclusionViewSet, basename="exclusion")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("transfer-files", TransferFileViewSet, basename="transfer-file")

app_name = "api"
urlpatterns = [
    *router.urls,
    path("reporting/services", ServiceFiguresView.as_view(), name="service-figures"),
    path("reporting/exclusions", ExclusionFiguresView.as_view(), name="exclusion-figures"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
]
# The API answers 401 in JSON itself; the site's sign-in redirect does not apply to it.
for pattern in urlpatterns:
    pattern.callback.login_required = False
