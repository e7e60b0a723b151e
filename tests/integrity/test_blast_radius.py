"""Every action changes its own record and nothing else. Two independent authorities are built
side by side; each public service function is run on a record of world A, and every row of
world B must be exactly as it was, with no new row pointing at it (a notification to one of its
people, a history row of one of its records, a deadline about one of them).

The service functions are found by walking every app's modules: a service (a function made
with ``service_action``, or any public function of a ``services`` module) that this file does
not list, as a case or as a sweep or read with its reason, fails the test, so a new service
cannot be added without its blast radius tested."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import OrganisationKind, Role
from tests.integrity.worlds import TODAY, build_world

D = datetime.date
APPS = ["accounts", "audit", "pupils", "deadlines", "referrals", "plans", "cases", "exclusions",
        "reporting"]  # fmt: skip
# Not part of any world: sessions, sign-in attempts, the history context's free-form metadata.
UNWATCHED = {"django_session", "axes_accessattempt", "axes_accesslog",
             "axes_accessfailurelog", "pghistory_context", "django_admin_log"}  # fmt: skip


# ---- the services, as this file classifies them -------------------------------------------

# System-wide by design: each acts on whatever is due, in every authority at once.
SWEEPS = {
    "audit.retention.apply_retention": "anonymises every record past its retention rule",
    "audit.services.purge_access_log": "deletes access-log rows past the retention period",
    "accounts.services.purge_idempotency_keys": "forgets every API answer kept past a day",
    "pupils.services.purge_import_files": "forgets every import's files kept past a month",
    "cases.reviews.escalate_overdue_reviews": "escalates every overdue review",
    "deadlines.services.delivery.deliver_notifications": "sends whatever the outbox holds",
    "deadlines.services.delivery.deliver": "sends whatever an outbox holds",
    "deadlines.services.webhooks.deliver_webhooks": "sends whatever the webhooks' outbox holds",
    "deadlines.services.delivery.mark_unknown_after_timeout": "marks every stalled send",
    "deadlines.services.reconcile.reconcile_deadlines": "repairs every live record",
    "deadlines.services.reminders.mark_missed": "marks every deadline past its date",
    "deadlines.services.reminders.sweep_reminders": "writes every reminder that is due",
}
# Public functions of a services module that change nothing.
READS = {
    "accounts.services.has_authenticator": "a read",
    "cases.services.check_closure": "a check that changes nothing",
    "cases.services.closure_audience": "a read",
    "pupils.services.import_progress": "a read of the worker's count",
    "cases.services.told_in_words": "a pure function",
    "accounts.services.hash_key": "a pure function",
    "cases.services.maximum_involvement_clock": "the fields of a deadline, unsaved",
    "cases.services.settings_for": "a read",
    "cases.services.weeks_used": "arithmetic",
    "deadlines.services.deadlines.build_deadline": "an unsaved deadline",
    "deadlines.services.deadlines.count_due_date": "arithmetic on the calendar",
    "deadlines.services.deadlines.first_reminder_on": "arithmetic on the calendar",
    "deadlines.services.deadlines.next_reminder_on": "arithmetic on the calendar",
    "deadlines.services.deadlines.recipients": "a read",
    "deadlines.services.deadlines.members_of_owners": "a read",
    "exclusions.services.common.standing_suspensions": "a read",
    "exclusions.services.common.term_totals": "a read",
    "deadlines.services.deadlines.step_date": "arithmetic on the calendar",
    "deadlines.services.delivery.backoff": "arithmetic",
    "deadlines.services.delivery.pending_delivery": "a queryset",
    "deadlines.services.delivery.queue_delivery": "asks a worker to run the delivery sweep",
    "deadlines.services.delivery.queue_delivery_on_commit": "the same, once committed",
    "deadlines.services.webhooks.queue_webhooks": "asks a worker to run the webhooks' sweep",
    "deadlines.services.webhooks.record_kind": "a name",
    "deadlines.services.webhooks.signature": "a pure function",
    "deadlines.services.reminders.due_for_reminder": "a queryset",
    "exclusions.services.common.board_must_meet": "a read",
    "exclusions.services.letters.notify_is_set_up": "a read of the settings",
    "exclusions.services.common.suspension_days": "a read",
    "exclusions.services.common.term_days": "a read",
    "plans.services.dated_clock": "the fields of a deadline, unsaved",
    "plans.services.pupils_without_pep_this_term": "a read",
    "referrals.services.common.allocation_clock": "the fields of a deadline, unsaved",
}


def _s(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def upload():
    return SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def totp_for(device):
    from django_otp.oath import TOTP

    return str(TOTP(device.bin_key, device.step, device.t0, device.digits).token()).zfill(6)


class FakeRequest:
    def __init__(self, membership):
        self.membership = membership

    def get_full_path(self):
        return "/pupils/1/"


def _spare_referral_answers():
    return {"reason": "Disruption", "consent_given_by": "Jo (mother)",
            "consent_given_on": D(2026, 2, 27), "consent_method": "phone"}  # fmt: skip


def _accounts(a):
    s = "accounts.services."

    def reset_two_factor(w):
        confirm(w)
        return _s(s + "reset_two_factor")(w.admin, w.colleague)

    def confirm(w):
        device = _s(s + "start_two_factor_setup")(w.colleague, verified=False)
        return _s(s + "confirm_two_factor")(
            w.colleague, device, token=totp_for(device), verified=False
        )

    return {
        s + "create_organisation": lambda w: _s(s + "create_organisation")(
            w.admin,
            name="New team",
            kind=OrganisationKind.SERVICE,
            code=f"new-{w.name}",
            authority=w.authority,
        ),
        s + "create_user": lambda w: _s(s + "create_user")(
            w.admin, email=f"new@{w.name}.example", full_name="New Person"
        ),
        s + "grant_membership": lambda w: _s(s + "grant_membership")(
            w.admin, w.colleague, w.bass, Role.CASEWORKER
        ),
        s + "end_membership": lambda w: _s(s + "end_membership")(w.admin, w.leaver_membership),
        s + "add_user": lambda w: _s(s + "add_user")(
            w.admin,
            email=f"added@{w.name}.example",
            full_name="Added Person",
            organisation=w.bass,
            role=Role.CASEWORKER,
        ),
        s + "reset_two_factor": reset_two_factor,
        s + "start_two_factor_setup": lambda w: _s(s + "start_two_factor_setup")(
            w.colleague, verified=False
        ),
        s + "confirm_two_factor": confirm,
        s + "set_password": lambda w: _s(s + "set_password")(
            w.caseworker, w.caseworker, "a-long-new-passphrase-2026"
        ),
        s + "send_password_reset": lambda w: _s(s + "send_password_reset")(
            w.senco.email, reset_url_for=lambda uid, token: f"/reset/{uid}/{token}/"
        ),
        s + "issue_api_token": lambda w: _s(s + "issue_api_token")(
            w.senco, w.senco, name="New", verified=True
        ),
        s + "create_system_account": lambda w: _s(s + "create_system_account")(
            w.admin, school=w.school.organisation, name="Oak MIS"
        ),
        s + "revoke_api_token": lambda w: _s(s + "revoke_api_token")(w.admin, w.token),
    }


def _return_files(w) -> dict:
    """The looked-after return (SSDA903) naming one of the world's pupils as in care."""
    upn = w.pupils["spare"].upn
    return {
        "header": SimpleUploadedFile("header.csv", f"CHILD,SEX,DOB,UPN\nC1,1,01/01/2014,{upn}\n"
                                     .encode()),
        "episodes": SimpleUploadedFile("episodes.csv", b"CHILD,DECOM,DEC,REC\nC1,01/09/2025,,\n"),
    }  # fmt: skip


def _transfer_file(w, *pupils):
    """A Common Transfer File from the world's school naming its spare pupil (and ``pupils``)."""
    from tests.pupils.ctf_files import Pupil, transfer_file

    spare = w.pupils["spare"]
    return transfer_file(w.school, [
        Pupil(spare.upn, surname=spare.legal_last_name, forename=spare.legal_first_name,
              dob=spare.date_of_birth.isoformat(), sen=[("2025-09-08", "K")], needs=["SEMH"]),
        *pupils,
    ])  # fmt: skip


def _transfer_job_to_confirm(w):
    """A CTF job whose one pupil has the spare pupil's names and date of birth, another UPN."""
    from tests.pupils.ctf_files import Pupil, transfer_file

    spare = w.pupils["spare"]
    upn = valid_upn_for(w, 7)
    data = transfer_file(w.school, [Pupil(upn, surname=spare.legal_last_name,
                                          forename=spare.legal_first_name,
                                          dob=spare.date_of_birth.isoformat())])  # fmt: skip
    job = _s("pupils.services.queue_transfer_file")(
        w.admin, authority=w.authority, upload=SimpleUploadedFile("ctf.xml", data)
    )
    return _s("pupils.services.run_import")(job.pk)


def _twin_of_spare(w):
    """A second record of the spare pupil, at the world's school, with a suspension."""
    from tests.exclusions.factories import SuspensionFactory
    from tests.pupils.factories import pupil_at

    spare = w.pupils["spare"]
    twin = pupil_at(
        w.school,
        legal_first_name=spare.legal_first_name,
        legal_last_name=spare.legal_last_name,
        date_of_birth=spare.date_of_birth,
    )
    SuspensionFactory(pupil=twin, school=w.school, created_by=w.senco)
    return twin


def _complete_letter(w):
    """The world's suspension with every fact its letter needs, and the letter written."""
    from exclusions.models import Exclusion, LetterSettings

    LetterSettings.objects.get_or_create(authority=w.authority, defaults={
        "sendiass": "SENDIASS, 01234 567890", "behaviour_officer": "Behaviour officer",
        "review_address": "Town Hall"})  # fmt: skip
    Exclusion.objects.filter(pk=w.suspension.pk).update(
        work_set="Booklets", sixth_day_provision="Learning centre, 9am to 3pm; report to Mrs Shah"
    )
    w.suspension.refresh_from_db()
    return _s("exclusions.services.letters.write_letter")(
        w.senco, w.suspension, situation=_letter_situation(w.suspension),
        parts={"representations": "To the clerk", "signed_by": "The head"},
    )  # fmt: skip


def _send_by_notify(w):
    """The letter sent by email through a local stand-in of GOV.UK Notify."""
    import threading
    from http.server import HTTPServer

    from django.test import override_settings

    from tests.deadlines.test_notify import API_KEY, TEMPLATE_ID, FakeNotify
    from tests.pupils.factories import PupilContactFactory

    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        here = f"http://127.0.0.1:{server.server_port}"
        with override_settings(NOTIFY_API_KEY=API_KEY, NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
                               NOTIFY_BASE_URL=here):  # fmt: skip
            PupilContactFactory(pupil=w.suspension.pupil, email="parent@example.org")
            letter = _complete_letter(w)
            return _s("exclusions.services.letters.send_letter")(w.senco, letter, how="email")
    finally:
        server.shutdown()


def _national_body(situation):
    from exclusions.models import LetterTemplate

    return LetterTemplate.objects.get(authority__isnull=True, situation=situation, version=1).body


def _letter_situation(exclusion):
    from exclusions.letters import situations_for

    return situations_for(exclusion)[0]


def valid_upn_for(w, n):
    from tests.pupils.ctf_files import new_upn

    return new_upn(900 + 10 * (ord(w.name[-1]) % 5) + n)


def _audit_and_pupils(a):
    from pupils.models import CareStatus, Gender, SenStatus
    from tests.pupils.ctf_files import new_upn

    p = "pupils.services."
    return {
        "audit.retention.erase_pupil": lambda w: _s("audit.retention.erase_pupil")(
            w.admin, w.pupils["spare"], reason="The family asked for erasure"
        ),
        "audit.services.record_access": lambda w: _s("audit.services.record_access")(
            w.senco,
            FakeRequest(w.senco_membership),
            kind="download",
            page="PSP",
            pupil=w.pupils["plans"],
        ),
        p + "add_pupil_contact": lambda w: _s(p + "add_pupil_contact")(
            w.senco, w.pupils["spare"], relationship="parent_carer", name="Sam Carer"
        ),
        p + "change_care_status": lambda w: _s(p + "change_care_status")(
            w.vs_officer,
            w.pupils["spare"],
            status=CareStatus.LOOKED_AFTER,
            start_date=D(2026, 3, 2),
        ),
        p + "create_school": lambda w: _s(p + "create_school")(
            w.admin,
            authority=w.authority,
            urn=f"9{w.name[-1]}9999",
            establishment_number="9999",
            name="New School",
        ),
        p + "end_enrolment": lambda w: _s(p + "end_enrolment")(
            w.senco, w.pupils["spare"].enrolments.get(), end_date=D(2026, 3, 2)
        ),
        p + "enrol_pupil": lambda w: _s(p + "enrol_pupil")(
            w.senco, w.pupils["spare"], w.other_school, start_date=D(2026, 3, 2)
        ),
        p + "import_looked_after_children": lambda w: _s(p + "import_looked_after_children")(
            w.vs_officer,
            authority=w.authority,
            header=f"CHILD,SEX,DOB,UPN\nC1,1,01/01/2014,{w.pupils['spare'].upn}\n".encode(),
            episodes=b"CHILD,DECOM,DEC,REC\nC1,01/09/2025,,\n",
        ),
        p + "queue_looked_after_import": lambda w: _s(p + "queue_looked_after_import")(
            w.vs_officer, authority=w.authority, **_return_files(w)
        ),
        p + "run_import": lambda w: _s(p + "run_import")(
            _s(p + "queue_looked_after_import")(
                w.vs_officer, authority=w.authority, **_return_files(w)
            ).pk
        ),
        p + "queue_transfer_file": lambda w: _s(p + "queue_transfer_file")(
            w.admin,
            authority=w.authority,
            upload=SimpleUploadedFile("ctf.xml", _transfer_file(w)),
        ),
        "pupils.transfers.import_transfer_file": lambda w: _s(
            "pupils.transfers.import_transfer_file"
        )(w.admin, authority=w.authority, data=_transfer_file(w)),
        "pupils.transfers.confirm_transfer_match": lambda w: _s(
            "pupils.transfers.confirm_transfer_match"
        )(
            w.admin,
            job := _transfer_job_to_confirm(w),
            line=job.report[0]["line"],
            pupil_id=w.pupils["spare"].pk,
        ),
        "pupils.merging.merge_pupils": lambda w: _s("pupils.merging.merge_pupils")(
            w.admin, w.pupils["spare"], _twin_of_spare(w)
        ),
        "pupils.merging.undo_merge": lambda w: _s("pupils.merging.undo_merge")(
            w.admin,
            _s("pupils.merging.merge_pupils")(w.admin, w.pupils["spare"], _twin_of_spare(w)),
        ),
        p + "record_care_status": lambda w: _s(p + "record_care_status")(
            w.vs_officer,
            w.pupils["spare"],
            status=CareStatus.CHILD_IN_NEED,
            start_date=D(2026, 1, 12),
        ),
        p + "record_sen_status": lambda w: _s(p + "record_sen_status")(
            w.senco,
            w.pupils["spare"],
            sen_status=SenStatus.EHCP,
            primary_need="SEMH",
            start_date=D(2026, 1, 12),
        ),
        p + "register_pupil": lambda w: _s(p + "register_pupil")(
            w.senco,
            school=w.school,
            enrolled_on=D(2025, 9, 3),
            upn=new_upn(987),
            legal_first_name="New",
            legal_last_name="Pupil",
            date_of_birth=D(2015, 5, 1),
            gender=Gender.FEMALE,
        ),
    }


def _deadlines(a):
    c = "deadlines.services.calendar."
    d = "deadlines.services.deadlines."
    r = "deadlines.services.reminders."
    return {
        c + "add_inset_day": lambda w: _s(c + "add_inset_day")(
            w.admin, authority=w.authority, date=D(2026, 5, 5)
        ),
        c + "copy_calendar_to_school": lambda w: _s(c + "copy_calendar_to_school")(
            w.admin, school=w.school, authority=w.authority, academic_year=2026
        ),
        c + "remove_inset_day": lambda w: _s(c + "remove_inset_day")(w.admin, w.inset_day),
        d + "recount_provisional": lambda w: _s(d + "recount_provisional")(
            w.admin, authority=w.authority
        ),
        c + "set_term_dates": lambda w: _s(c + "set_term_dates")(
            w.admin,
            authority=w.authority,
            academic_year=2026,
            name="summer_2",
            start_date=D(2027, 6, 7),
            end_date=D(2027, 7, 20),
        ),
        d + "cancel_deadlines_for": lambda w: _s(d + "cancel_deadlines_for")(
            None, w.case, reason="Case closed"
        ),
        d + "complete_action": lambda w: _s(d + "complete_action")(
            w.caseworker, w.action, done_on=D(2026, 3, 2)
        ),
        d + "create_deadline": lambda w: _s(d + "create_deadline")(
            None,
            kind="action",
            subject=w.case,
            pupil=w.case.pupil,
            school=w.school,
            start_date=D(2026, 3, 2),
            due_date=D(2026, 3, 20),
            title="Call the school",
            owner_user=w.caseworker,
        ),
        d + "satisfy_deadline": lambda w: _s(d + "satisfy_deadline")(w.caseworker, w.action),
        d + "satisfy_deadlines_for": lambda w: _s(d + "satisfy_deadlines_for")(
            w.caseworker, w.case, "action"
        ),
        d + "waive_deadline": lambda w: _s(d + "waive_deadline")(
            w.caseworker, w.action, reason="Agreed by phone"
        ),
        "deadlines.services.webhooks.register_webhook": lambda w: _s(
            "deadlines.services.webhooks.register_webhook"
        )(w.senco, school=w.school, url="https://mis.example.org/second"),
        "deadlines.services.webhooks.revoke_webhook": lambda w: _s(
            "deadlines.services.webhooks.revoke_webhook"
        )(w.senco, w.webhook),
        "deadlines.services.webhooks.announce": lambda w: _s(
            "deadlines.services.webhooks.announce"
        )("status_changed", w.submitted, school=w.school, status="submitted"),
        "deadlines.services.delivery.retry_notification": lambda w: _s(
            "deadlines.services.delivery.retry_notification"
        )(w.admin, w.failed),
        r + "email_address": lambda w: _s(r + "email_address")(
            None, "parent@example.org", subject="Hello", body="Hello", authority=w.authority
        ),
        r + "mark_notifications_read": lambda w: _s(r + "mark_notifications_read")(
            w.senco, a["Notification"].objects.all()
        ),
        r + "notify_people": lambda w: _s(r + "notify_people")(
            None, [w.senco], subject="Hello", body="Hello"
        ),
    }


def _referrals(a):
    from referrals.models import AttachmentKind
    from tests.referrals.factories import checklist_ticked

    s = "referrals.services."

    def link(w):
        from plans import services as plan_services

        psp = plan_services.create_psp(
            w.senco, pupil=w.draft.pupil, school=w.school, start_date=D(2026, 1, 12),
            people_involved="x", pupil_views="x", parent_views="x", areas_of_concern="x",
            interventions_tried="x",
        )  # fmt: skip
        return _s(s + "writing.link_psp")(w.senco, w.draft, psp)

    def remove(w):
        attachment = _s(s + "writing.attach_document")(
            w.senco, w.draft, kind="other", upload=upload()
        )
        return _s(s + "writing.remove_document")(w.senco, attachment)

    def suggested(w):
        _s(s + "screening.redirect_referral")(
            w.screener, w.submitted, redirection="another_service", note="BASS fits", service=w.bass
        )
        return _s(s + "writing.start_suggested_referral")(
            w.senco, w.submitted, referral_type=w.bass_type
        )

    def submit(w):
        _s(s + "writing.save_answers")(w.senco, w.draft, **_spare_referral_answers(),
                               previous_step_started=D(2025, 11, 3),
                               interventions_tried="Mentoring")  # fmt: skip
        return _s(s + "writing.submit_referral")(w.senco, w.draft)

    return {
        s + "screening.accept_referral": lambda w: _s(s + "screening.accept_referral")(
            w.screener, w.submitted, checklist=checklist_ticked(w.submitted)
        ),
        s + "screening.answer_more_information": lambda w: _s(
            s + "screening.answer_more_information"
        )(w.senco, w.asked, answer="The PSP of January"),
        s + "writing.attach_document": lambda w: _s(s + "writing.attach_document")(
            w.senco, w.draft, kind=AttachmentKind.OTHER, upload=upload()
        ),
        s + "after.close_at_review": lambda w: _s(s + "after.close_at_review")(
            w.screener, w.submitted, reason="No reply"
        ),
        s + "after.close_referral": lambda w: _s(s + "after.close_referral")(
            w.caseworker, w.case.referral, reason="Its case has closed."
        ),
        s + "writing.create_reintegration_referral": lambda w: _s(
            s + "writing.create_reintegration_referral"
        )(None, pupil=w.pupils["spare"], school=w.school),
        s + "screening.decline_referral": lambda w: _s(s + "screening.decline_referral")(
            w.screener, w.submitted, reason="Needs a PSP first"
        ),
        s + "writing.link_psp": link,
        s + "after.mark_allocated": lambda w: _s(s + "after.mark_allocated")(w.manager, w.accepted),
        s + "screening.redirect_referral": lambda w: _s(s + "screening.redirect_referral")(
            w.screener, w.submitted, redirection="early_help", note="Try Early Help"
        ),
        s + "writing.remove_document": remove,
        s + "after.reopen_referral": lambda w: _s(s + "after.reopen_referral")(
            w.caseworker, w.closed_case.referral
        ),
        s + "screening.request_more_information": lambda w: _s(
            s + "screening.request_more_information"
        )(w.screener, w.submitted, question="Which interventions?"),
        s + "writing.save_answers": lambda w: _s(s + "writing.save_answers")(
            w.senco, w.draft, reason="New"
        ),
        s + "writing.send_referral": lambda w: _s(s + "writing.send_referral")(
            w.senco,
            pupil=w.pupils["spare"],
            referral_type=w.bass_type,
            school=w.school,
            answers=_spare_referral_answers(),
        ),
        s + "writing.start_referral": lambda w: _s(s + "writing.start_referral")(
            w.senco, pupil=w.pupils["spare"], referral_type=w.bass_type, school=w.school
        ),
        s + "writing.submit_referral": submit,
        s + "screening.take_for_screening": lambda w: _s(s + "screening.take_for_screening")(
            w.screener, w.submitted
        ),
        s + "writing.start_suggested_referral": suggested,
        s + "writing.take_parent_referral": lambda w: _s(s + "writing.take_parent_referral")(
            w.officer,
            referral_type=w.parent_type,
            pupil=w.pupils["spare"],
            school=w.school,
            answers={**_spare_referral_answers(), "referrer_name": "Jo", "referrer_phone": "1"},
        ),
        s + "after.withdraw_referral": lambda w: _s(s + "after.withdraw_referral")(
            w.senco, w.submitted, reason="Resolved in school"
        ),
    }


def _cases(a):
    s = "cases.services."
    r = "cases.reviews."
    return {
        s + "agree_action": lambda w: _s(s + "agree_action")(
            w.caseworker,
            w.case,
            description="Phone home",
            owner=w.caseworker,
            due_date=D(2026, 3, 9),
        ),
        s + "allocate_referral": lambda w: _s(s + "allocate_referral")(
            w.manager, w.accepted, caseworker=w.colleague
        ),
        s + "close_case": lambda w: _s(s + "close_case")(
            w.caseworker, w.case, reason="risk_reduced", risk_continues=False
        ),
        s + "reallocate_case": lambda w: _s(s + "reallocate_case")(
            w.manager, w.case, caseworker=w.colleague
        ),
        s + "record_contact": lambda w: _s(s + "record_contact")(
            w.caseworker,
            w.case,
            date=D(2026, 3, 2),
            kind="phone",
            participants="Parent",
            with_parent=True,
            duration_minutes=15,
            notes="Call",
        ),
        s + "record_evaluation": lambda w: _s(s + "record_evaluation")(
            w.senco, w.closed_case, respondent="school", rating=4
        ),
        s + "record_meeting": lambda w: _s(s + "record_meeting")(
            w.caseworker,
            w.case,
            date=D(2026, 3, 2),
            attendees="Team",
            virtual_school_attended=False,
            next_steps="Next",
        ),
        s + "reopen_case": lambda w: _s(s + "reopen_case")(
            w.caseworker, w.closed_case, reason="New incidents"
        ),
        r + "decide_review": lambda w: _s(r + "decide_review")(
            w.caseworker, w.review, decision="continue", reason="Progress"
        ),
        r + "open_reviews": lambda w: _s(r + "open_reviews")(None, D(2026, 4, 1), "case", [w.case]),
    }


def _plans(a):
    s = "plans.services."

    def close_then(w, then):
        from cases import services as case_services

        case_services.close_case(w.caseworker, w.case, reason="risk_reduced", risk_continues=False)
        w.bip.refresh_from_db()
        return then(w)

    def extend(w):
        _s(s + "review_timetable")(
            w.senco, w.timetable, date=D(2026, 3, 2), notes="Fine", next_review_date=D(2026, 3, 20)
        )
        return _s(s + "extend_timetable")(w.senco, w.timetable, end_date=D(2026, 4, 24))

    return {
        s + "add_target": lambda w: _s(s + "add_target")(
            w.senco,
            w.psp,
            description="Arrive on time",
            strategies="Breakfast club",
            who_does_what="Mentor",
            success_measure="Register",
        ),
        s + "create_psp": lambda w: _s(s + "create_psp")(
            w.senco,
            pupil=w.pupils["spare"],
            school=w.school,
            start_date=D(2026, 3, 2),
            people_involved="x",
            pupil_views="x",
            parent_views="x",
            areas_of_concern="x",
            interventions_tried="x",
        ),
        s + "end_timetable": lambda w: _s(s + "end_timetable")(
            w.senco, w.timetable, full_time_from=w.timetable.start_date
        ),
        s + "extend_timetable": extend,
        s + "hand_over_bip": lambda w: _s(s + "hand_over_bip")(w.case),
        s + "notify_part_time_timetable": lambda w: _s(s + "notify_part_time_timetable")(
            w.senco,
            pupil=w.pupils["spare"],
            school=w.school,
            reason="Anxiety",
            hours_per_week=10,
            start_date=D(2026, 3, 2),
            end_date=D(2026, 3, 20),
            return_plan="More each week",
            next_review_date=D(2026, 3, 9),
            consent_given_by="Jo",
            consent_given_on=D(2026, 2, 27),
        ),
        s + "record_pep_meeting": lambda w: _s(s + "record_pep_meeting")(
            w.vs_officer,
            pupil=w.looked_after,
            school=w.school,
            date=D(2026, 3, 2),
            attendees="x",
            targets="y",
        ),
        s + "record_risk_assessment": lambda w: _s(s + "record_risk_assessment")(
            w.senco,
            pupil=w.pupils["spare"],
            school=w.school,
            triggers="x",
            early_signs="x",
            de_escalation="x",
            support_measures="x",
            review_date=D(2026, 4, 20),
        ),
        s + "review_bip": lambda w: close_then(
            w, lambda w: _s(s + "review_bip")(w.senco, w.bip, next_review_date=D(2026, 5, 1))
        ),
        s + "review_psp": lambda w: _s(s + "review_psp")(
            w.senco,
            w.psp,
            date=D(2026, 3, 2),
            outcomes={w.target.pk: "partly"},
            next_review_date=D(2026, 4, 20),
        ),
        s + "review_timetable": lambda w: _s(s + "review_timetable")(
            w.senco, w.timetable, date=D(2026, 3, 2), notes="Fine", next_review_date=D(2026, 3, 20)
        ),
        s + "write_bip": lambda w: _s(s + "write_bip")(w.caseworker, w.case, targets="Revised"),
    }


def _exclusions(a):
    from exclusions.models import ReasonCode

    s = "exclusions.services."

    def review(w):
        return _s(s + "apply_for_review")(
            w.exclusions_officer, w.permanent, applied_on=D(2026, 3, 2), sen_expert=False
        )

    def panel(w):
        review(w)
        return _s(s + "record_panel_decision")(
            w.exclusions_officer,
            w.permanent,
            decision="quash",
            decided_on=D(2026, 3, 2),
            board_told_on=D(2026, 3, 2),
        )

    return {
        s + "after.record_outcome": lambda w: _s(s + "after.record_outcome")(
            w.senco,
            w.permanent,
            kind="alternative_provision",
            start_date=D(2026, 3, 3),
            provider="Pupil referral unit",
        ),
        s + "after.record_parent_support": lambda w: _s(s + "after.record_parent_support")(
            w.officer, w.permanent, stage="stage_1"
        ),
        s + "after.reintegrate": lambda w: _s(s + "after.reintegrate")(
            w.exclusions_officer,
            w.permanent,
            new_school=w.other_school,
            start_date=D(2026, 3, 3),
            meeting_on=D(2026, 3, 3),
            review_on=D(2026, 3, 17),
        ),
        s + "notify.notify_exclusion": lambda w: _s(s + "notify.notify_exclusion")(
            w.senco,
            pupil=w.pupils["spare"],
            school=w.school,
            kind="suspension",
            reasons=ReasonCode.objects.filter(code="VA"),
            start_date=D(2026, 3, 2),
            sessions=2,
            description="x",
            parents_told_on=D(2026, 3, 2),
            parents_told_how="Phone",
        ),
        s + "steps.apply_for_review": review,
        s + "steps.parents_ask_board": lambda w: _s(s + "steps.parents_ask_board")(
            w.senco, w.suspension, asked_on=D(2026, 3, 2)
        ),
        s + "steps.record_board_decision": lambda w: _s(s + "steps.record_board_decision")(
            w.senco,
            w.suspension,
            reinstate=False,
            decided_on=D(2026, 3, 2),
            parents_told_on=D(2026, 3, 2),
        ),
        s + "steps.record_panel_decision": panel,
        s + "steps.record_reconsideration": lambda w: (
            panel(w),
            _s(s + "steps.record_reconsideration")(
                w.senco, w.permanent, reinstate=True, on=D(2026, 3, 2)
            ),
        ),
        s + "steps.record_sixth_day_provision": lambda w: _s(
            s + "steps.record_sixth_day_provision"
        )(w.senco, w.suspension, provision="Pupil referral unit from day six"),
        s + "steps.record_work_set": lambda w: _s(s + "steps.record_work_set")(
            w.senco, w.suspension, work_set="Reading and maths booklets"
        ),
        s + "letters.write_letter": lambda w: _s(s + "letters.write_letter")(
            w.senco,
            w.suspension,
            situation=_letter_situation(w.suspension),
            parts={"representations": "To the clerk", "signed_by": "The head"},
        ),
        s + "letters.record_letter_sent": lambda w: _s(s + "letters.record_letter_sent")(
            w.senco, _complete_letter(w), sent_on=D(2026, 3, 2), how="email"
        ),
        s + "letters.send_letter": _send_by_notify,
        s + "letters.add_letter_version": lambda w: _s(s + "letters.add_letter_version")(
            w.admin,
            w.authority,
            situation="board_decision",
            guidance="Revised",
            body=_national_body("board_decision"),
            effective_from=D(2026, 3, 2),
        ),
        s + "letters.keep_letter_settings": lambda w: _s(s + "letters.keep_letter_settings")(
            w.admin, w.authority, sendiass="SENDIASS, 01234 567890"
        ),
        s + "steps.remove_from_roll": lambda w: _s(s + "steps.remove_from_roll")(
            w.senco, w.permanent, on=D(2026, 4, 30)
        ),
        s + "steps.withdraw_exclusion": lambda w: _s(s + "steps.withdraw_exclusion")(
            w.senco, w.suspension, reason="New evidence"
        ),
    }


def cases() -> dict:
    from deadlines.models import Notification

    a = {"Notification": Notification}
    found = {}
    for part in (_accounts, _audit_and_pupils, _deadlines, _referrals, _cases, _plans,
                 _exclusions):  # fmt: skip
        found.update(part(a))
    return found


def services_in_the_code() -> set[str]:
    """Every function made with ``service_action`` in any module of the apps, and every
    public function of a ``services`` module."""
    found = set()
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, app + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            in_services = info.name.endswith(".services") or ".services." in info.name
            for name, obj in vars(module).items():
                if not inspect.isfunction(obj) or obj.__module__ != info.name:
                    continue
                if name.startswith("_"):
                    continue
                if getattr(obj, "is_service_action", False) or in_services:
                    found.add(f"{info.name}.{name}")
    return found


def test_every_service_has_a_blast_radius_case_or_a_reason_it_has_none():
    classified = set(cases()) | set(SWEEPS) | set(READS)
    missing = services_in_the_code() - classified
    assert not missing, f"No blast-radius case for: {', '.join(sorted(missing))}"
    stale = classified - services_in_the_code()
    assert not stale, f"Listed here but not in the code: {', '.join(sorted(stale))}"


# ---- the worlds and their snapshots --------------------------------------------------------


def snapshot() -> dict:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table in UNWATCHED:
            continue
        pk = model._meta.pk.attname
        for row in model._base_manager.values():
            rows[(table, row[pk])] = row
    return rows


def references(model_table: str, row: dict) -> list[tuple[str, object]]:
    """The rows ``row`` points at: its foreign keys, and a deadline's subject."""
    model = TABLES[model_table]
    pointed = []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None and row[field.attname]:
            pointed.append((field.related_model._meta.db_table, row[field.attname]))
    if "subject_type_id" in row and row.get("subject_id"):
        subject = ContentType.objects.get_for_id(row["subject_type_id"]).model_class()
        pointed.append((subject._meta.db_table, row["subject_id"]))
    return pointed


TABLES = {}


def keys_of(world) -> dict:
    """Each record of the world by (model, primary key): the objects themselves change as the
    services run (a deleted one loses its key), the keys do not."""
    from django.db.models import Model

    keys = {}
    for name, value in vars(world).items():
        if isinstance(value, Model):
            keys[name] = (type(value), value.pk)
        elif isinstance(value, dict):
            keys[name] = {k: (type(v), v.pk) for k, v in value.items()}
    return keys


def refreshed(world, keys):
    """The world's records read again (after a rollback, the objects in memory are stale)."""
    for name, key in keys.items():
        if isinstance(key, dict):
            setattr(world, name, {k: m._base_manager.get(pk=pk) for k, (m, pk) in key.items()})
        else:
            model, pk = key
            setattr(world, name, model._base_manager.get(pk=pk))
    return world


@pytest.mark.django_db
def test_each_service_changes_world_a_and_leaves_world_b_as_it_was():
    TABLES.update({m._meta.db_table: m for m in apps.get_models(include_auto_created=True)})
    with time_machine.travel(TODAY, tick=False):
        shared = snapshot()
        world_b = build_world("b")
        after_b = snapshot()
        b_rows = {key: row for key, row in after_b.items() if key not in shared}
        world_a = build_world("a", real_codes=True)
        built = touched(b_rows, shared)
        assert not built, "Building world A changed world B:\n" + "\n".join(built[:20])
        for world in (world_a, world_b):
            world.senco_membership = world.senco.memberships.get()
        keys = keys_of(world_a)
        failures = []
        for name, run in sorted(cases().items()):
            with transaction.atomic():  # each case starts from the same two worlds
                try:
                    with transaction.atomic():
                        run(refreshed(world_a, keys))
                except Exception as error:
                    failures.append(
                        f"{name} did not run on world A: {type(error).__name__}: {error}"
                    )
                else:
                    problems = touched(b_rows, shared)
                    failures += [f"{name}: {problem}" for problem in problems[:5]]
                    if len(problems) > 5:
                        failures.append(f"{name}: and {len(problems) - 5} more")
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def touched(b_rows: dict, shared: dict) -> list[str]:
    now = snapshot()
    problems = []
    for key, row in b_rows.items():
        if key not in now:
            problems.append(f"deleted world B's {key[0]} {key[1]}")
        elif now[key] != row:
            changed = sorted(f for f in row if now[key][f] != row[f])
            problems.append(f"changed world B's {key[0]} {key[1]} ({', '.join(changed)})")
    for key, row in now.items():
        if key in b_rows or key in shared:
            continue
        for target in references(key[0], row):
            if target in b_rows:
                problems.append(
                    f"new {key[0]} {key[1]} points at world B's {target[0]} {target[1]}"
                )
    return problems
