from django.core.exceptions import ValidationError


class TicketError(ValidationError):
    """A business rule refused the action; views show the message, the API answers 400."""


class StaleTicketError(TicketError):
    """The ticket changed after the form was loaded; the user must look again."""

    def __init__(self) -> None:
        super().__init__(
            "This ticket changed while you were working on it. "
            "Your text is kept below; review the latest activity and submit again.",
            code="stale",
        )
