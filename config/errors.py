class DomainError(Exception):
    """A rule of the service was broken. The message is shown to the user as it is, so it says
    what is wrong in words; ``field`` names the form field it belongs to, if any; ``code`` is the
    stable name an API client tests for (the words may change, the code does not); ``conflict``
    marks a refusal because of what is already recorded (an open referral, a decision already
    made), which the API answers 409 rather than 422. ``also`` carries further errors found at
    the same time, so that a form or a request learns of every one at once. ``existing_id``
    names the record already recorded that a conflict is with (the API sends it back)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "rule",
        conflict: bool = False,
        also: list["DomainError"] | None = None,
        existing_id: int | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.conflict = conflict
        self.also = also or []
        self.existing_id = existing_id

    @property
    def every(self) -> list["DomainError"]:
        return [self, *self.also]

    @classmethod
    def all_of(cls, errors: list["DomainError"]) -> "DomainError":
        first, *rest = errors
        first.also = rest
        return first


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
            raise DomainError(f"This {what} {stands[current]}.", code="already_done", conflict=True)
        raise DomainError(
            f"This {what} {stands[current]}: it cannot be {done[new]} now.",
            code="status_conflict",
            conflict=True,
        )
    raise DomainError(
        f"This {what} is {current.label.lower()}: it cannot {verb} {new.label.lower()}.",
        code="status_conflict",
        conflict=True,
    )
