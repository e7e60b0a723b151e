from tests.referrals.conftest import (  # noqa: F401  (shared fixtures)
    boss_manager,
    on_a_school_day,
    orgs,
    pupil,
    screener,
    senco,
    types,
)
