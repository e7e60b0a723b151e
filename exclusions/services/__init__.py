"""State changes for suspensions and permanent exclusions. Paragraph references are to the DfE
guidance "Suspension and permanent exclusion from maintained schools, academies and pupil
referral units in England" (in force from 26 July 2026) and the Regulations it explains
(:mod:`exclusions.rules`); the numbers come from ``ExclusionRules``."""

from exclusions.services.after import record_outcome, record_parent_support, reintegrate
from exclusions.services.common import board_must_meet, suspension_days, term_days
from exclusions.services.letters import (
    add_letter_version,
    keep_letter_settings,
    record_letter_sent,
    send_letter,
    write_letter,
)
from exclusions.services.notify import notify_exclusion
from exclusions.services.steps import (
    apply_for_review,
    parents_ask_board,
    record_board_decision,
    record_panel_decision,
    record_reconsideration,
    record_sixth_day_provision,
    record_work_set,
    remove_from_roll,
    withdraw_exclusion,
)

__all__ = [
    "add_letter_version",
    "apply_for_review",
    "board_must_meet",
    "keep_letter_settings",
    "notify_exclusion",
    "parents_ask_board",
    "record_board_decision",
    "record_letter_sent",
    "record_outcome",
    "record_panel_decision",
    "record_parent_support",
    "record_reconsideration",
    "record_sixth_day_provision",
    "record_work_set",
    "reintegrate",
    "remove_from_roll",
    "send_letter",
    "suspension_days",
    "term_days",
    "withdraw_exclusion",
    "write_letter",
]
