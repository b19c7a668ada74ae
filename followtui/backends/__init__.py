"""The network seam: one Protocol, implemented by the demo backend and (later) the X API through tweepy."""

from followtui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    Forbidden,
    NotFound,
    Page,
    RateLimited,
    Transient,
)

__all__ = [
    "AuthError",
    "Backend",
    "BackendError",
    "Forbidden",
    "NotFound",
    "Page",
    "RateLimited",
    "Transient",
]
