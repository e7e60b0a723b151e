"""The deadline engine's names, each written once: every kind of time limit by its code, and the
ways a limit is counted. Apps name a kind as ``KindCode.ALLOCATION``, never as a bare string,
so that a kind is found, and renamed, in one place. No model is imported here: the data
migrations that install the kinds read this module too."""

from enum import StrEnum

from django.db import models


class Counting(models.TextChoices):
    SCHOOL_DAYS = "school_days", "school days"
    SCHOOL_WEEKS = "school_weeks", "school weeks"
    CALENDAR_DAYS = "calendar_days", "calendar days"


class KindCode(StrEnum):
    """The code of each kind in ``deadlines.kinds.KINDS``, where each names its rule."""

    BOARD_CONSIDER = "board-consider"
    BOARD_CONSIDER_REQUESTED = "board-consider-requested"
    SIXTH_DAY = "sixth-day"
    REVIEW_APPLICATION = "review-application"
    PANEL_MEETING = "panel-meeting"
    BOARD_RECONSIDER = "board-reconsider"
    PLAN_REVIEW = "plan-review"
    TIMETABLE_END = "timetable-end"
    ALLOCATION = "allocation"
    PARENT_CONTACT = "parent-contact"
    GOVERNING_BOARD_REVIEW = "governing-board-review"
    BOSS_MAXIMUM_INVOLVEMENT = "boss-maximum-involvement"
    QUARTERLY_REVIEW = "quarterly-review"
    PEP_MEETING = "pep-meeting"
    ACTION = "action"
