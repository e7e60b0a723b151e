"""The referral's page: its documents, the linked PSP among them, and the way back into the
form while the gateway waits for an answer."""

import pytest
from django.urls import reverse

from referrals.models import Status
from tests.plans.factories import PspActiveFactory
from tests.referrals.factories import ReferralSubmittedFactory

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
    referral = ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil, school=school,
        status=Status.MORE_INFORMATION, question="Please attach the PSP review.",
    )  # fmt: skip
    client = client_for(senco)
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:tasks", args=[referral.pk]) in html
    tasks = client.get(reverse("referrals:tasks", args=[referral.pk])).content.decode()
    assert "Please attach the PSP review." in tasks
    assert "Delete this draft" not in tasks
