class DomainError(Exception):
    """A rule of the service was broken. The message is shown to the user as it is, so it says
    what is wrong in words; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require_transition(transitions: dict, current, new, *, what: str, verb: str = "be") -> None:
    """Refuse a status change its workflow's ``TRANSITIONS`` table does not allow, in words:
    "This referral is declined: it cannot be accepted." ``current`` and ``new`` are choices
    members (their ``label`` is shown)."""
    if new not in transitions[current]:
        raise DomainError(
            f"This {what} is {current.label.lower()}: it cannot {verb} {new.label.lower()}."
        )
