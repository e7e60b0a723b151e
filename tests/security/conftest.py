from tests.referrals.conftest import orgs, types  # noqa: F401  (shared fixtures)
