"""The one error an archive read raises: a one-line message for the user that names the file at fault."""

from __future__ import annotations


class ArchiveError(Exception):
    """The archive cannot be imported; ``str(error)`` says which file and why (nothing was written)."""

    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.file = file
