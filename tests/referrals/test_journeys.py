"""The referral journeys through the pages, as each user goes through them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from referrals.models import Referral, Status
from tests.referrals.test_rules import PDF

pytestmark = pytest.mark.django_db


def date_fields(name, day, month, year):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def fill_boss_referral(client, pupil, types):
    found = client.get(reverse("referrals:start"), {"q": "Stone"})
    assert f"Refer {pupil.display_name}" in found.content.decode()
    response = client.post(
        reverse("referrals:choose-type", args=[pupil.pk]), {"referral_type": types["boss"].pk}
    )
    referral = Referral.objects.get(pupil=pupil)
    tasks = reverse("referrals:tasks", args=[referral.pk])
    assert response.url == tasks
    statuses = [t.status for t in client.get(tasks).context["tasks"]]
    assert statuses == ["not_started"] * 4  # about, the ladder, consent, documents
    sections = {
        "about": {"reason": "Escalating incidents since January", "pupil_views": "It's unfair"},
        "ladder": {
            **date_fields("previous_step_started", 17, 11, 2025),
            "interventions_tried": "Mentor, reduced timetable review, report card",
        },
        "consent": {
            "consent_given_by": "Jo Stone (mother)",
            **date_fields("consent_given_on", 27, 2, 2026),
            "consent_method": "phone",
        },
    }
    for slug, data in sections.items():
        response = client.post(reverse("referrals:section", args=[referral.pk, slug]), data)
        assert response.status_code == 302, response.content.decode()
        assert response.url == tasks  # the task list after each section (GOV.UK pattern)
    page = client.get(tasks)
    assert [t.status for t in page.context["tasks"]] == ["completed"] * 3 + ["not_started"]
    assert not page.context["can_check"]  # a BOSS referral needs its PSP first
    client.post(
        reverse("referrals:section", args=[referral.pk, "documents"]),
        {"kind": "psp", "file": SimpleUploadedFile("PSP Riley.pdf", PDF)},
    )
    page = client.get(tasks)
    assert [t.status for t in page.context["tasks"]] == ["completed"] * 4
    assert page.context["can_check"]
    return referral


def test_submit_more_information_answer_accept_awaiting_allocation(
    client_for, senco, pupil, types, screener, boss_manager
):
    school_client = client_for(senco)
    referral = fill_boss_referral(school_client, pupil, types)
    check = school_client.get(reverse("referrals:check", args=[referral.pk]))
    assert "Escalating incidents since January" in check.content.decode()
    response = school_client.post(reverse("referrals:check", args=[referral.pk]))
    assert response.url == reverse("referrals:submitted", args=[referral.pk])
    confirmation = school_client.get(response.url).content.decode()
    reference = re.search(r'data-testid="reference">(REF-2026-\d{6})<', confirmation).group(1)
    listing = school_client.get(reverse("referrals:list")).content.decode()
    assert reference in listing and "Submitted" in listing

    gateway_client = client_for(screener)
    queue = gateway_client.get(reverse("referrals:queue")).content.decode()
    assert reference in queue
    response = gateway_client.post(
        reverse("referrals:screen", args=[referral.pk]),
        {"decision": "more_information", "question": "Please attach the latest PSP review"},
    )
    assert response.status_code == 302
    page = client_for(senco).get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Please attach the latest PSP review" in page

    response = client_for(senco).post(
        reverse("referrals:answer", args=[referral.pk]), {"answer": "Reviewed on 1 March"}
    )
    assert response.status_code == 302
    response = client_for(screener).post(
        reverse("referrals:screen", args=[referral.pk]),
        {
            "decision": "accept",
            "service": referral.service_id,
            "check_reason": "on",
            "check_consent": "on",
            "check_ladder": "on",
            "check_psp": "on",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.checklist["psp"] is True

    awaiting = client_for(boss_manager).get(reverse("referrals:awaiting"))
    assert [r.reference for r in awaiting.context["referrals"]] == [reference]
    assert "0 of 10 school days" in awaiting.content.decode()


def test_decline_and_redirect_tell_the_school_why(
    client_for, senco, pupil, school, types, screener
):
    from referrals import services
    from tests.pupils.factories import pupil_at
    from tests.referrals.test_rules import boss_referral

    declined = boss_referral(senco, pupil, types, school)
    services.submit_referral(senco, declined)
    client = client_for(screener)
    missing_reason = client.post(
        reverse("referrals:screen", args=[declined.pk]), {"decision": "decline"}
    )
    assert missing_reason.status_code == 400
    assert "Enter the reason the school will read" in missing_reason.content.decode()
    decline = {"decision": "decline", "reason": "Needs a BACME PSP referral first"}
    confirm = client.post(reverse("referrals:screen", args=[declined.pk]), decline)
    assert "Are you sure you want to decline" in confirm.content.decode()
    declined.refresh_from_db()
    assert declined.status == "submitted"  # nothing happens until it is confirmed
    client.post(reverse("referrals:screen", args=[declined.pk]), {**decline, "confirm": "yes"})
    other = pupil_at(school, legal_last_name="Stone")
    redirected = boss_referral(senco, other, types, school)
    services.submit_referral(senco, redirected)
    client.post(
        reverse("referrals:screen", args=[redirected.pk]),
        {
            "decision": "redirect",
            "redirection": "early_help",
            "redirect_note": "Family needs support",
        },
    )
    school_client = client_for(senco)
    for referral, text in [
        (declined, "Needs a BACME PSP referral first"),
        (redirected, "Suggested instead: An Early Help assessment. Family needs support"),
    ]:
        page = school_client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert text in page


def test_bad_answers_are_shown_by_the_field_and_kept(client_for, senco, pupil, types, school):
    from referrals import services

    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["boss"], school=school
    )
    response = client_for(senco).post(
        reverse("referrals:section", args=[referral.pk, "ladder"]),
        {
            **date_fields("previous_step_started", 31, 2, 2026),
            "interventions_tried": "Mentoring",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date the previous step began must be a real date" in html
    assert "Mentoring</textarea>" in html
    check = client_for(senco).post(reverse("referrals:check", args=[referral.pk]))
    assert check.status_code == 400
    assert "Attach the pupil&#x27;s Pastoral Support Plan" in check.content.decode()


def test_a_second_open_referral_links_to_the_first(client_for, senco, pupil, types, school):
    from referrals import services
    from tests.referrals.test_rules import ready

    first = services.start_referral(senco, pupil=pupil, referral_type=types["bass"], school=school)
    services.submit_referral(senco, ready(first))
    response = client_for(senco).post(
        reverse("referrals:choose-type", args=[pupil.pk]), {"referral_type": types["bass"].pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already has an open referral" in html
    assert reverse("referrals:detail", args=[first.pk]) in html


def test_adding_a_pupil_needs_a_valid_upn(client_for, senco):
    response = client_for(senco).post(
        reverse("referrals:new-pupil"),
        {
            "upn": "A801200005001",
            "legal_first_name": "Ann",
            "legal_last_name": "Lee",
            **date_fields("date_of_birth", 1, 5, 2015),
            "gender": "F",
            **date_fields("enrolled_on", 1, 9, 2025),
        },
    )
    assert response.status_code == 400
    assert "Enter a valid UPN" in response.content.decode()


def test_a_pupil_already_recorded_is_not_added_twice(client_for, senco, school):
    """A UPN stays with the pupil throughout their school career (DfE guidance on UPNs): a
    school adding a pupil another school has recorded is told to have them moved to its
    roll, next to the UPN, and no second record is made."""
    from pupils.models import Pupil
    from tests.pupils.factories import PupilFactory

    elsewhere = PupilFactory()
    response = client_for(senco).post(
        reverse("referrals:new-pupil"),
        {
            "upn": elsewhere.upn,
            "legal_first_name": "Ann",
            "legal_last_name": "Lee",
            **date_fields("date_of_birth", 1, 5, 2015),
            "gender": "F",
            **date_fields("enrolled_on", 1, 9, 2025),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["upn"] == [
        "A pupil with this UPN is already recorded. Ask your administrator to move them to "
        "your school's roll"
    ]
    assert Pupil.objects.filter(upn=elsewhere.upn).count() == 1
    assert not elsewhere.enrolments.filter(school=school).exists()


def test_the_pupil_timeline_shows_the_referral(client_for, senco, pupil, types, school):
    from referrals import services
    from tests.referrals.test_rules import ready

    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    services.submit_referral(senco, ready(referral))
    html = client_for(senco).get(reverse("pupils:detail", args=[pupil.pk])).content.decode()
    assert "Referral submitted: BASS individual" in html
    assert referral.reference in html


def test_a_gateway_screener_can_see_the_referred_pupil(
    client_for, senco, pupil, types, school, screener
):
    from referrals import services
    from tests.referrals.test_rules import boss_referral

    referral = boss_referral(senco, pupil, types, school)
    assert client_for(screener).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 404
    services.submit_referral(senco, referral)
    assert client_for(screener).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 200


def test_the_manager_of_a_service_with_no_gateway_screens_it(
    client_for, senco, pupil, types, school, orgs, member
):
    from referrals import services
    from tests.referrals.test_rules import ready

    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    services.submit_referral(senco, ready(referral))
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["bass"])
    queue = client_for(manager).get(reverse("referrals:queue"))
    assert [r.pk for r in queue.context["page"].object_list] == [referral.pk]
