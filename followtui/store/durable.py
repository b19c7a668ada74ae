"""Moved to ``followtui.durable`` (the one atomic writer, used outside the store too); this name is kept for
imports written against it. New code imports ``followtui.durable``."""

from followtui.durable import fsync_dir, remove_stray_tmp, replacing

__all__ = ["fsync_dir", "remove_stray_tmp", "replacing"]
