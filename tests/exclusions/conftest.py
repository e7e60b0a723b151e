from tests.referrals.conftest import orgs, senco, types  # noqa: F401  (shared fixtures)
