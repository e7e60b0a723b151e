class DomainError(Exception):
    """A rule of the service was broken. The message is shown to the user as it is, so it says
    what is wrong in words; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require_transition(
    transitions: dict,
    current,
    new,
    *,
    what: str,
    verb: str = "be",
    stands: dict | None = None,
    done: dict | None = None,
) -> None:
    """Refuse a status change its workflow's ``TRANSITIONS`` table does not allow, in words.
    ``current`` and ``new`` are choices members. With ``stands`` (how a record in each status
    stands: "has already been sent") and ``done`` (what moving into each status is called:
    "declined"), the refusal reads as the second of two people pressing a button needs it:
    "This referral has already been accepted: it cannot be declined now." Without them, the
    labels are used: "This deadline is waived: it cannot become met." """
    if new in transitions[current]:
        return
    if stands and done:
        if current == new:
            raise DomainError(f"This {what} {stands[current]}.")
        raise DomainError(f"This {what} {stands[current]}: it cannot be {done[new]} now.")
    raise DomainError(
        f"This {what} is {current.label.lower()}: it cannot {verb} {new.label.lower()}."
    )
