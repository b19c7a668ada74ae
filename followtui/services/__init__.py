"""Application services without any UI: decisions, lists and the outbox sender (over one queue), undo, export."""
