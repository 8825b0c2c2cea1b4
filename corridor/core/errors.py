"""Domain errors that the web UI and the API translate into 403/404/409 answers."""

from __future__ import annotations


class ConflictError(Exception):
    """The request is well-formed but clashes with the object's state (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
