"""Two authorities in one installation: nothing of the other is offered, accepted or routed to.
A school refers only to its own authority's services; a gateway routes only to them."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import OrganisationKind
from config.errors import DomainError
from referrals import services
from referrals.models import Referral
from tests.accounts.factories import LocalAuthorityFactory, OrganisationFactory
from tests.referrals.factories import ReferralTypeFactory, checklist_ticked
from tests.referrals.test_rules import boss_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere():
    """Another authority's service and the kind of referral it takes."""
    other = LocalAuthorityFactory(name="Other Borough Council")
    service = OrganisationFactory(
        code="other-support", name="Other Support Service", kind=OrganisationKind.SERVICE,
        local_authority=other,
    )  # fmt: skip
    kind = ReferralTypeFactory(
        code="other-kind", name="Other authority's referral", service=service
    )
    return service, kind


def test_a_school_is_offered_and_may_send_only_its_own_authoritys_kinds(
    client_for, senco, pupil, school, types, elsewhere, member
):
    service, kind = elsewhere
    page = client_for(senco).get(reverse("referrals:choose-type", args=[pupil.pk]))
    offered = set(page.context["form"].fields["referral_type"].queryset)
    assert kind not in offered and types["bass"] in offered

    chosen = client_for(senco).post(
        reverse("referrals:choose-type", args=[pupil.pk]), {"referral_type": kind.pk}
    )
    assert chosen.status_code == 400
    with pytest.raises(DomainError, match="not taken by your authority's services"):
        services.start_referral(senco, pupil=pupil, referral_type=kind, school=school)

    _, key = account_services.issue_api_token(
        senco, senco, verified=True, name="MIS", read_only=False
    )
    api = client_for(senco).post(
        reverse("api:referral-list"),
        {"pupil": pupil.pk, "referral_type": kind.code, "reason": "x",
         "consent_given_by": "Jo", "consent_given_on": "2026-02-27", "consent_method": "phone"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}",
    )  # fmt: skip
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "referral_type"
    assert not Referral.objects.filter(service=service).exists()


def test_a_gateway_routes_only_to_its_own_authoritys_services(
    client_for, senco, pupil, school, types, screener, elsewhere
):
    service, _ = elsewhere
    referral = services.submit_referral(senco, boss_referral(senco, pupil, types, school))
    page = client_for(screener).get(reverse("referrals:screen", args=[referral.pk]))
    assert service not in set(page.context["form"].fields["service"].queryset)
    with pytest.raises(DomainError, match="Choose one of your authority's services"):
        services.accept_referral(
            screener, referral, service=service, checklist=checklist_ticked(referral)
        )
    with pytest.raises(DomainError, match="Choose one of your authority's services"):
        services.redirect_referral(
            screener, referral, redirection="another_service", note="x", service=service
        )
    queue = client_for(screener).get(reverse("referrals:queue"))
    assert service not in set(queue.context["form"].fields["service"].queryset)
