"""The Unique Pupil Number: the DfE's identifier for a pupil in England."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.gb import upn as upn_rules


def validate_upn(value: str) -> None:
    """A UPN is 13 characters with a DfE check letter (DfE, "Unique Pupil Numbers", 2023);
    ``stdnum.gb.upn`` applies the check letter and the list of LA numbers."""
    try:
        upn_rules.validate(value)
    except StdnumValidationError as exc:
        raise ValidationError(
            "Enter a valid UPN: 13 characters, a check letter then 12 digits, like A801200005001",
            code="invalid_upn",
        ) from exc
