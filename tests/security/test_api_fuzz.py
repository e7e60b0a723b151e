"""The API against its own OpenAPI schema: schemathesis runs against the live test server with a
token for each role and must find no 5xx response, no undocumented status and no response that
does not match the schema."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accounts import services as account_services
from accounts.models import Role

ROLES = [Role.SCHOOL_STAFF, Role.CASEWORKER, Role.SERVICE_MANAGER, Role.EXCLUSIONS_OFFICER]


def schemathesis() -> str:
    """The command installed beside this Python (the virtualenv's), else the one on PATH."""
    beside = Path(sys.executable).with_name("schemathesis")
    return str(beside) if beside.exists() else shutil.which("schemathesis")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_schemathesis_finds_no_server_error_and_no_response_off_schema(
    live_server, school, orgs, types, member, role, tmp_path
):
    from tests.pupils.factories import pupil_at
    from tests.referrals.factories import ReferralSubmittedFactory

    user = member(role)  # a token for each role; writes allowed, so POSTs are fuzzed too
    admin = member(Role.LA_ADMINISTRATOR)
    ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    _, key = account_services.issue_api_token(admin, user, name="Fuzz", read_only=False)
    result = subprocess.run(
        [
            schemathesis(), "run", f"{live_server.url}/api/v1/schema/",
            "--header", f"Authorization: Token {key}",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--max-examples", "5", "--workers", "4", "--phases", "examples,coverage,fuzzing",
            "--seed", "1",
        ],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
