import pytest
from django.core.exceptions import ValidationError

from pupils.models import validate_upn


@pytest.mark.parametrize(
    "upn",
    [
        "B801200005001",  # the DfE's worked example
        "X873200126001",
        "Y873400126049",
    ],
)
def test_valid_upns_pass(upn):
    """The DfE's unique pupil number: 13 characters, a check letter first, then the authority, the
    school and a serial."""
    validate_upn(upn)


@pytest.mark.parametrize(
    ("upn", "why"),
    [
        ("A801200005001", "wrong check letter"),
        ("B80120000500", "too short"),
        ("B8012000050011", "too long"),
        ("X80120000A001", "letter in the middle"),
        ("E000200005001", "unknown LA number"),
        ("", "empty"),
    ],
)
def test_invalid_upns_are_rejected_with_words(upn, why):
    """A UPN with a wrong check letter, length or characters is refused in words."""
    with pytest.raises(ValidationError) as error:
        validate_upn(upn)
    assert "Enter a valid UPN" in error.value.messages[0], why
