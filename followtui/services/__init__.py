"""Application services without any UI: actions (decisions, undo, the outbox), export."""
