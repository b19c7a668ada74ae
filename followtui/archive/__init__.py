"""Read an X data archive ("Download an archive of your data"): the zip or its extracted folder."""

from followtui.archive.errors import ArchiveError
from followtui.archive.reader import Archive, ArchiveAccount, ArchiveList, Limits, read_archive

__all__ = ["Archive", "ArchiveAccount", "ArchiveError", "ArchiveList", "Limits", "read_archive"]
