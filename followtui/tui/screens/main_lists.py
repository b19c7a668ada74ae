"""The main screen's lists: the list column of the Lists pane, the picker (``l``) and list edits."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import OptionList

from followtui.domain.models import DecisionKind, ListInfo, OutboxEntry
from followtui.domain.queues import Pane
from followtui.domain.text import one_line
from followtui.tui.list_words import ListWords, for_lists
from followtui.tui.screens.dialogs import ConfirmScreen, ListChoice, ListPickerScreen
from followtui.tui.screens.list_form import ListForm, ListFormScreen
from followtui.tui.screens.main_base import MainBase
from followtui.tui.screens.matrix import MatrixScreen
from followtui.tui.screens.suggestions import SuggestionsScreen


class ListsMixin(MainBase):
    """The list column, and adding to / taking off lists."""

    _picked = False  # a picker toggled with space: its marks go when it closes

    def _set_lists(self, lists: list[ListInfo]) -> str | None:
        """Show ``lists`` in the column and count them; returns the list the column shows now."""
        self.lists_column.set_lists(lists)
        self.tabs.set_counts({Pane.LISTS: len(lists)})
        self.refresh_bindings()
        return self.list_id

    @on(OptionList.OptionSelected, "#lists")
    def _list_selected(self) -> None:
        self.accounts.focus()

    # -- the list itself: create, edit, delete -----------------------------------------------------

    @property
    def list_words(self) -> ListWords:
        """Private lists on X; on Bluesky, lists kept on this machine."""
        return for_lists(self.session.lists.keeps_new_lists_here)

    def action_new_list(self) -> None:
        words = self.list_words

        def save(form: ListForm, done: Callable[[], None], failed: Callable[[str], None]) -> None:
            def saved(info: ListInfo) -> None:
                done()
                self.lists_column.pick(info.id)
                sending = "" if info.kept_here else " · sending…"
                self.notify(f"✓ {words.created_list(info.name)}: saved{sending}")
                self.changed(reload=True, send=True)

            self._submit(lambda: self.session.undo.create_list(form.name, form.description), saved, _said(failed))

        self.app.push_screen(ListFormScreen(words.form_title, save, self.session.lists.limits))

    def action_publish_list(self) -> None:
        info = self.current_list
        if info is None or not info.kept_here:
            return
        network = self.session.network_name
        size = len(info.member_ids)
        people = f"{size} {'person' if size == 1 else 'people'}"
        detail = (
            f"It becomes a public {network} list: anyone can see its name, its description and every member "
            f"({people}). Until now it was kept on this machine only. z takes it back here (and deletes it on "
            f"{network} if it was sent)."
        )
        self.app.push_screen(
            ConfirmScreen(f"Publish the list {one_line(info.name)} on {network}?", detail, yes="Publish"),
            lambda yes: self._publish_list(info) if yes else None,
        )

    def _publish_list(self, info: ListInfo) -> None:
        def published(result: tuple[ListInfo, list[OutboxEntry]]) -> None:
            published, queued = result
            adds = len(queued) - 1
            self.notify(
                f"✓ Publishing the list {one_line(published.name)}: saved · sending its creation and "
                f"{adds} member{'s' if adds != 1 else ''} to {self.session.network_name}…"
            )
            self.changed(reload=True, send=True)

        self._submit(lambda: self.session.undo.publish_list(self._same_list(info)), published)

    def action_edit_list(self) -> None:
        info = self.current_list
        if info is None:
            return

        def save(form: ListForm, done: Callable[[], None], failed: Callable[[str], None]) -> None:
            def saved(updated: ListInfo) -> None:
                done()
                self.notify(f"✓ Saved the list {one_line(updated.name)} · sending…")
                self.changed(reload=True, send=True)

            def write() -> ListInfo:
                target = self._same_list(info)
                return self.session.undo.update_list(target, name=form.name, description=form.description)

            self._submit(write, saved, _said(failed))

        self.app.push_screen(
            ListFormScreen(
                f"Edit the list {one_line(info.name)}",
                save,
                self.session.lists.limits,
                name=info.name,
                description=info.description,
            )
        )

    def _same_list(self, info: ListInfo) -> str:
        """``info``'s ID now: X may have created the list (a new ID) since the screen read it. Writer thread."""
        return self.session.lists.current_id(info)

    def action_delete_list(self) -> None:
        info = self.current_list
        if info is None:
            return
        members = len(info.member_ids)
        people = f"{members} member{'s' if members != 1 else ''}"
        where = "it was kept on this machine only" if info.kept_here else f"here and on {self.session.network_name}"
        detail = f"It has {people}. They stay followed; only the list goes, {where}. z brings it back."
        self.app.push_screen(
            ConfirmScreen(f"Delete the list {one_line(info.name)} ({people})?", detail, yes="Delete"),
            lambda yes: self._delete_list(info) if yes else None,
        )

    def _delete_list(self, info: ListInfo) -> None:
        def deleted(info: ListInfo) -> None:
            self.notify(f"✓ Deleted the list {one_line(info.name)}: saved")
            self.changed(reload=True, send=True)

        self._submit(lambda: self.session.undo.delete_list(self._same_list(info)), deleted)

    def action_remove_member(self) -> None:
        info = self.current_list
        targets = self._targets()
        if info is None or not targets:
            return
        if len(targets) == 1:
            self._remove_members(info, targets)
            return
        names = ", ".join(self._handle(t) for t in targets[:8]) + (" …" if len(targets) > 8 else "")
        self.app.push_screen(
            ConfirmScreen(f"Remove {len(targets)} accounts from {one_line(info.name)}?", names, yes="Remove"),
            lambda yes: self._remove_members(info, targets) if yes else None,
        )

    def _remove_members(self, info: ListInfo, targets: list[str]) -> None:
        def removed(_entries: list[OutboxEntry]) -> None:
            self.notify(f"✓ Removed {self._who(targets)} from {one_line(info.name)}: saved")
            self.accounts.remove_ids(targets)
            self.changed(reload=True, send=True)

        self._submit(lambda: self.session.undo.change_membership(targets, self._same_list(info), add=False), removed)

    def action_matrix(self) -> None:
        self.app.push_screen(MatrixScreen(self.session, self._writer), lambda _: self._back_from_lists())

    def action_suggestions(self) -> None:
        self.app.push_screen(SuggestionsScreen(self.session, self._writer), lambda _: self._back_from_lists())

    def _back_from_lists(self) -> None:
        self.changed(reload=True, send=True)  # members and lists may have changed

    # -- the picker --------------------------------------------------------------------------------

    def action_pick_list(self) -> None:
        targets = self._targets()
        if targets:
            self._pick_list_for(targets)

    def _pick_list_for(self, targets: list[str], *, then_unfollow: bool = False) -> None:
        lists = self.session.triage.lists()
        wanted = set(targets)
        counts = {info.id: len(wanted.intersection(info.member_ids)) for info in lists}
        on_all = {list_id for list_id, count in counts.items() if count == len(wanted)}
        picker = ListPickerScreen(
            lists,
            on_all,
            self._who(targets),
            partly={k: v for k, v in counts.items() if v},
            targets=len(wanted),
            limits=self.session.lists.limits,
            toggle=None if then_unfollow else lambda choice: self._apply_list(targets, choice, keep_marks=True),
            words=self.list_words,
        )
        self.app.push_screen(picker, lambda choice: self._apply_list(targets, choice, then_unfollow=then_unfollow))

    def _apply_list(
        self, targets: list[str], choice: ListChoice | None, *, then_unfollow: bool = False, keep_marks: bool = False
    ) -> None:
        if choice is None:
            if not keep_marks and self._picked:
                self.accounts.clear_marks()
            self._picked = False
            return
        if then_unfollow and not choice.add:
            self.notify("They are already on that list: pick another, or press u again to unfollow.")
            return
        self._picked = keep_marks
        apply_list_choice(self, targets, choice, self._listed(targets, then_unfollow=then_unfollow, keep=keep_marks))

    def _listed(self, targets: list[str], *, then_unfollow: bool, keep: bool) -> Callable[[ListChoice], None]:
        def done(result: ListChoice) -> None:
            name = result.new_name or next((i.name for i in self.lists if i.id == result.list_id), "the list")
            name = one_line(name)
            self.notify(
                f"✓ {'Added' if result.add else 'Removed'} {self._who(targets)} "
                f"{'to' if result.add else 'from'} {name}: saved"
            )
            if not keep:
                self.accounts.clear_marks()
            if then_unfollow:  # listed first, then unfollowed, in this order
                self.post_message(self.Decide(targets, DecisionKind.UNFOLLOW))
                self.changed((), send=True)
            else:
                self.changed(reload=True, send=True)

        return done


def apply_list_choice(
    screen: MainBase, targets: list[str], choice: ListChoice, done: Callable[[ListChoice], None]
) -> None:
    """Create the list first if the choice names a new one, then add or remove every target, in one write."""

    def write() -> ListChoice:  # ValueError: X would refuse the name, or the list would be too big
        list_id = screen.session.undo.apply_list(
            targets, choice.list_id, choice.new_name, add=choice.add, description=choice.new_description
        )
        return ListChoice(list_id, choice.add, choice.new_name, choice.new_description)

    screen._submit(write, done)


def _said(failed: Callable[[str], None]) -> Callable[[BaseException], None]:
    """Show a refusal (ValueError) in the form; anything else as the error it is."""
    return lambda error: failed(str(error) if isinstance(error, ValueError) else f"Could not save: {error}")
