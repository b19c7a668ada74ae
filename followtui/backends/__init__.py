"""The network seam: one Protocol, implemented by the demo backend and the X API through tweepy."""

from followtui.backends.base import (
    AuthError,
    Backend,
    BackendError,
    Forbidden,
    NotFound,
    Page,
    RateLimited,
    Refused,
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
    "Refused",
    "Transient",
]
