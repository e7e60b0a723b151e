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
from tests.referrals.conftest import organisation_of

ROLES = list(Role)
# The coverage phase sends every boundary and every malformed body to every operation. Only
# school staff write through the API (referrals, exclusions, part-time timetables); every other
# role is refused with a 403 before its body is read, so for them that phase would repeat the
# same 403s for half a minute each. They run the examples and fuzzing phases.
DEEP = {Role.SCHOOL_STAFF}
PHASES = {True: "examples,coverage,fuzzing", False: "examples,fuzzing"}


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

    # Each user sits where the records are, so the fuzzer reaches real rows, not only 404s;
    # the token may write, so POSTs are fuzzed too.
    user = member(role, organisation=organisation_of(role, school, orgs))
    ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil_at(school, care_status="cla"), school=school
    )
    _, key = account_services.issue_api_token(
        user, user, verified=True, name="Fuzz", read_only=False
    )
    result = subprocess.run(
        [
            schemathesis(), "run", f"{live_server.url}/api/v1/schema",
            "--header", f"Authorization: Token {key}",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
            "response_schema_conformance",
            "--max-examples", "5", "--workers", "4", "--phases", PHASES[role in DEEP],
            "--seed", "1",
        ],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
