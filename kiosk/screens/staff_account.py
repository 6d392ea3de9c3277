"""Account look-up: find a parent's portal account, see its state, and fix it (reset to a
temporary password, enable, disable, unlock)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.clock import local_text
from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.staff import (
    AccountStatus,
    disable_account,
    enable_account,
    find_accounts,
    unlock_account,
)
from kiosk.text import display

#: Long enough to skip the searches of a fast typist's middle keystrokes, short enough to
#: keep keystroke-to-results under the 100 ms budget of the design brief.
DEBOUNCE_SECONDS = 0.075


def account_line(status: AccountStatus) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(display(status.username), style="bold")
    line.append(f"  {display(status.guardian_name)}")
    line.append(f"  {status.state}", style="italic")
    return line


def account_details(status: AccountStatus, zone: str) -> Text:
    """The account's state, with every time in the district's zone (``zone``) and its date."""
    last = local_text(status.last_sign_in_at, zone) or "never"
    text = Text()
    text.append(display(status.username), style="bold")
    text.append(f" · {display(status.guardian_name)} ({display(status.guardian_id)})\n")
    text.append(f"State: {status.state}")
    if status.locked_until:
        text.append(f" until {local_text(status.locked_until, zone)}")
    text.append(f" · failed attempts: {status.failed_attempts} · last sign-in: {last}\n")
    email = display(status.recovery_email) if status.recovery_email else "not set"
    verified = " (confirmed)" if status.recovery_email_verified else ""
    text.append(f"Recovery email: {email}{verified}")
    return text


class AccountLookupScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f4", "unlock", "Unlock"),
        Binding("f8", "reset", "Reset password"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.accounts: dict[str, AccountStatus] = {}
        self.selected: AccountStatus | None = None
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Account look-up", classes="title")
        yield Input(
            self.initial_query,
            placeholder="Username, guardian or student name, student number",
            id="account-search",
            max_length=100,
        )
        yield OptionList(id="accounts")
        yield Static("Choose an account to see its state.", id="details", markup=False)
        yield Static("", id="message", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Reset password", id="reset", compact=True, variant="warning")
            yield Button("Unlock", id="unlock", compact=True)
            yield Button("Enable", id="enable", compact=True)
            yield Button("Disable", id="disable", compact=True, variant="error")
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#account-search", Input).focus()
        self._buttons()
        if self.initial_query:
            self.run_lookup()

    def _may(self, action: str) -> bool:
        """Whether ``action`` (reset, unlock, enable, disable) can act on the chosen account
        now: unlock only a locked account or one with failed sign-ins to clear."""
        status = self.selected
        if status is None:
            return False
        return {
            "reset": True,
            "unlock": status.locked_until is not None or status.failed_attempts > 0,
            "enable": not status.enabled,
            "disable": status.enabled,
        }[action]

    def _buttons(self) -> None:
        for name in ("reset", "unlock", "enable", "disable"):
            self.query_one(f"#{name}", Button).disabled = not self._may(name)
        self.refresh_bindings()  # the footer lists F4 and F8 only while they can act

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F4 (Unlock) and F8 (Reset password) neither show in the footer nor run while there
        is nothing for them to do."""
        if action in ("unlock", "reset"):
            return self._may(action)
        return super().check_action(action, parameters)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.run_lookup)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        found = self.query_one("#accounts", OptionList)
        if found.option_count:
            found.focus()
            found.highlighted = 0

    def run_lookup(self) -> None:
        text = self.query_one("#account-search", Input).value
        ctx, staff = self.shell.ctx, self.staff
        self.run_service(
            lambda: find_accounts(ctx, staff, text), self._found, self._failed, group="lookup"
        )

    def _found(self, found: list[AccountStatus]) -> None:
        self.accounts = {s.username: s for s in found}
        accounts = self.query_one("#accounts", OptionList)
        accounts.clear_options()
        accounts.add_options([Option(account_line(s), id=s.username) for s in found])
        if len(found) == 1:
            self._select(found[0])
        elif self.selected is not None and self.selected.username in self.accounts:
            self._select(self.accounts[self.selected.username])
        else:
            self._select(None)
            text = self.query_one("#account-search", Input).value.strip()
            if text and not found:
                self.query_one("#details", Static).update(
                    "No account matches. Search by the guardian's or student's name, or check "
                    "the spelling."
                )

    def _select(self, status: AccountStatus | None) -> None:
        self.selected = status
        details = self.query_one("#details", Static)
        zone = self.shell.ctx.config.district.time_zone
        details.update(account_details(status, zone) if status else "Choose an account.")
        self._buttons()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        status = self.accounts.get(event.option.id or "")
        if status is not None:
            self._select(status)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(Text(str(error)))

    @on(Button.Pressed, "#reset")
    def reset_pressed(self) -> None:
        self.action_reset()

    @on(Button.Pressed, "#unlock")
    def unlock_pressed(self) -> None:
        self.action_unlock()

    @on(Button.Pressed, "#enable")
    def enable_pressed(self) -> None:
        self.action_enable()

    @on(Button.Pressed, "#disable")
    def disable_pressed(self) -> None:
        self.action_disable()

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def _change(self, service, done: str) -> None:  # service(ctx, actor, username)
        status = self.selected
        if status is None:
            return
        ctx, staff, username = self.shell.ctx, self.staff, status.username

        def changed(new: AccountStatus) -> None:
            self.accounts[new.username] = new
            self._select(new)
            self.query_one("#message", Static).update(Text(f"{display(new.username)}: {done}."))
            self.run_lookup()

        self.run_service(lambda: service(ctx, staff, username), changed, self._failed)

    def action_unlock(self) -> None:
        if self._may("unlock"):
            self._change(unlock_account, "unlocked, failed attempts cleared")

    def action_enable(self) -> None:
        self._change(enable_account, "enabled")

    def action_disable(self) -> None:
        from kiosk.screens.staff_confirm import ConfirmModal

        status = self.selected
        if status is None or not status.enabled:
            return
        name = display(status.username)
        modal = ConfirmModal(
            f"Disable the account {name}?",
            f"{name} ({display(status.guardian_name)}) will not be able to sign in, on the "
            "kiosk or the web, and is signed out everywhere now. The account, its password "
            "and its students stay; Enable undoes it.",
            "Disable",
        )

        def after(ok: bool | None) -> None:
            if ok:
                self._change(disable_account, "disabled; the parent is signed out everywhere")

        self.app.push_screen(modal, after)

    def action_reset(self) -> None:
        status = self.selected
        if status is None:
            return
        from kiosk.screens.staff_reset import ResetPasswordModal

        def after(done: bool | None) -> None:
            if done:
                self.query_one("#message", Static).update(
                    Text(f"{display(status.username)}: password reset to a temporary one.")
                )
                self.run_lookup()

        self.app.push_screen(ResetPasswordModal(status.username), after)
