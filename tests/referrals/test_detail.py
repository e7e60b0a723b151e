"""The referral's page: its documents, the linked PSP among them, and the way back into the
form while the gateway waits for an answer."""

import pytest
from django.urls import reverse

from referrals.models import Status
from tests.plans.factories import PspActiveFactory
from tests.referrals.factories import ReferralMoreInformationFactory, ReferralSubmittedFactory

pytestmark = pytest.mark.django_db


def test_the_linked_psp_is_listed_under_documents(
    client_for, senco, screener, pupil, school, types
):
    psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
    referral = ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil, school=school, psp=psp
    )
    for user in (senco, screener):
        html = (
            client_for(user).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        )
        documents = html[html.index('data-testid="documents"') :]
        assert reverse("plans:psp", args=[psp.pk]) in documents
        assert "No documents." not in documents[: documents.index("</ul>")]


def test_a_referral_sent_back_with_a_question_is_changed_from_its_sections_not_a_draft(
    client_for, senco, pupil, school, types
):
    referral = ReferralMoreInformationFactory(
        referral_type=types["boss"],
        pupil=pupil,
        school=school,
        question="Please attach the PSP review.",
    )
    client = client_for(senco)
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:tasks", args=[referral.pk]) in html
    tasks = client.get(reverse("referrals:tasks", args=[referral.pk])).content.decode()
    assert "Please attach the PSP review." in tasks
    assert "Delete this draft" not in tasks


def test_after_a_redirect_the_school_starts_the_suggested_referral_with_its_answers(
    client_for, senco, screener, pupil, school, types, orgs
):
    """Seed 003: the gateway suggests another service; the school starts that referral with
    what it has already written, and the redirected referral is left as it was."""
    from referrals import services
    from referrals.models import Referral

    psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
    redirected = ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil, school=school, psp=psp,
        reason="Hides in the toilets", interventions_tried="Mentor",
    )  # fmt: skip
    services.redirect_referral(
        screener, redirected, redirection="another_service", note="BASS fits better",
        service=orgs["bass"],
    )  # fmt: skip
    client = client_for(senco)
    page = client.get(reverse("referrals:detail", args=[redirected.pk]))
    assert [t.pk for t in page.context["suggested_types"]] == [types["bass"].pk]
    response = client.post(
        reverse("referrals:start-suggested", args=[redirected.pk]),
        {"referral_type": types["bass"].pk},
    )
    started = Referral.objects.get(service=orgs["bass"])
    assert response["Location"] == reverse("referrals:tasks", args=[started.pk])
    assert (started.status, started.reason, started.interventions_tried, started.psp) == (
        Status.DRAFT, "Hides in the toilets", "Mentor", psp,
    )  # fmt: skip
    redirected.refresh_from_db()
    assert redirected.status == Status.REDIRECTED
    assert redirected.reason == "Hides in the toilets"


def test_only_a_kind_taken_by_the_suggested_service_can_be_started(
    client_for, senco, screener, pupil, school, types, orgs
):
    from referrals import services
    from referrals.models import Referral

    redirected = ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil, school=school)
    services.redirect_referral(
        screener, redirected, redirection="another_service", note="BASS", service=orgs["bass"]
    )
    response = client_for(senco).post(
        reverse("referrals:start-suggested", args=[redirected.pk]),
        {"referral_type": types["hsb"].pk},
        follow=True,
    )
    assert "Choose the kind of referral to start." in response.content.decode()
    assert not Referral.objects.filter(status=Status.DRAFT).exists()
