class DomainError(Exception):
    """A rule of the service was broken. The message is shown to the user as it is, so it says
    what is wrong in words; ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
