"""The backend used before the user has signed in: reads nothing, and every write waits in the outbox."""

from __future__ import annotations

from collections.abc import Sequence

from followtui.backends.base import AuthError, FollowState, Page, sign_in_command
from followtui.backends.meter import RequestMeter
from followtui.domain.models import ListInfo, Me, Post

NOT_SIGNED_IN = "Not signed in to {network}: run `{command}`. Your decisions are saved and will be sent then."


class OfflineBackend:
    """Raises ``AuthError`` for every call, so the outbox keeps each action until the user signs in."""

    name = "offline"

    def __init__(self, meter: RequestMeter | None = None, *, network_name: str = "X") -> None:
        self.meter = meter or RequestMeter()  # stays empty: nothing is ever sent
        self.network_name = network_name

    def _refuse(self) -> AuthError:
        return AuthError(NOT_SIGNED_IN.format(network=self.network_name, command=sign_in_command(self.network_name)))

    def me(self) -> Me:
        raise self._refuse()

    def followers(self, cursor: str | None = None) -> Page:
        raise self._refuse()

    def following(self, cursor: str | None = None) -> Page:
        raise self._refuse()

    def lookup(self, account_ids: Sequence[str]) -> Page:
        raise self._refuse()

    def owned_lists(self) -> list[ListInfo]:
        raise self._refuse()

    def list_members(self, list_id: str, cursor: str | None = None) -> Page:
        raise self._refuse()

    def recent_posts(self, account_id: str, limit: int = 5) -> list[Post]:
        raise self._refuse()

    def mentions(self, limit: int = 100) -> list[Post]:
        raise self._refuse()

    def my_posts(self, limit: int = 100) -> list[Post]:
        raise self._refuse()

    def follow(self, account_id: str) -> FollowState:
        raise self._refuse()

    def follow_state(self, account_id: str) -> FollowState:
        raise self._refuse()

    def unfollow(self, account_id: str) -> None:
        raise self._refuse()

    def create_list(self, name: str, description: str = "", private: bool = True) -> ListInfo:
        raise self._refuse()

    def update_list(self, list_id: str, name: str, description: str) -> None:
        raise self._refuse()

    def delete_list(self, list_id: str) -> None:
        raise self._refuse()

    def add_list_member(self, list_id: str, account_id: str) -> None:
        raise self._refuse()

    def remove_list_member(self, list_id: str, account_id: str) -> None:
        raise self._refuse()
