"""State changes for referrals. Each checks its rule, writes, records the event and schedules
or stops the allocation clock; views, the API and other apps call these.

One module an idea: common, writing, screening, after."""

from referrals.services.after import (  # noqa: F401
    close_at_review,
    close_referral,
    mark_allocated,
    reopen_referral,
    withdraw_referral,
)
from referrals.services.common import (  # noqa: F401
    ANSWER_FIELDS,
    OpenReferralExists,
    allocation_clock,
)
from referrals.services.screening import (  # noqa: F401
    accept_referral,
    answer_more_information,
    decline_referral,
    redirect_referral,
    request_more_information,
    take_for_screening,
)
from referrals.services.writing import (  # noqa: F401
    attach_document,
    create_reintegration_referral,
    link_psp,
    remove_document,
    save_answers,
    send_referral,
    start_referral,
    start_suggested_referral,
    submit_referral,
    take_parent_referral,
)
