"""The "choose a password" fields shared by Activate, Change password and Forgot password.

Two masked inputs, a live checklist of the district's policy (``password_checklist``) and a
strength meter (``strength``). Both are computed in a worker because zxcvbn can take a few
milliseconds on long input and the UI must never stall while a parent types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from kiosk.config import PasswordPolicy
from kiosk.i18n import N_, _, explain
from kiosk.passwords import RuleCheck, password_checklist, strength
from kiosk.widgets.secret import SecretInput

STRENGTH_WORDS = (N_("very weak"), N_("weak"), N_("fair"), N_("good"), N_("strong"))


@dataclass(frozen=True)
class PasswordFeedback:
    rules: list[RuleCheck]
    same: bool
    score: int
    empty: bool


def feedback(
    password: str, again: str, policy: PasswordPolicy, context: list[str]
) -> PasswordFeedback:
    """Everything the checklist shows for what is typed now (pure: runs in a worker)."""
    return PasswordFeedback(
        password_checklist(password, policy, context=context),
        bool(password) and password == again,
        strength(password, context),
        not password,
    )


class PasswordChoice(Horizontal):
    """New password twice, with the live policy checklist and strength meter beside the
    fields, so the parent sees it while typing even at 80x24."""

    def __init__(
        self,
        policy: PasswordPolicy,
        context: Callable[[], list[str]],
        *,
        label: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="password-choice")
        self.policy = policy
        self.context = context
        self.label = label or _("New password")

    def compose(self) -> ComposeResult:
        with Vertical(id="password-fields"):
            yield Label(self.label, classes="field-label")
            yield SecretInput(id="new-password", placeholder=self.label)
            yield Label(_("The same password again"), classes="field-label")
            yield SecretInput(id="new-password-again", placeholder=_("Again"))
        with Vertical(id="password-feedback"):
            with Vertical(id="checklist"):
                for rule in password_checklist("", self.policy, context=[]):
                    yield Static("· " + explain(rule.rule), classes="rule todo", markup=False)
                yield Static("· " + _("Both passwords are the same"), classes="rule todo same")
            yield Static("", id="strength", markup=False)

    @property
    def password(self) -> str:
        return self.query_one("#new-password", Input).value

    @property
    def again(self) -> str:
        return self.query_one("#new-password-again", Input).value

    def clear(self) -> None:
        self.query_one("#new-password", Input).value = ""
        self.query_one("#new-password-again", Input).value = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id not in ("new-password", "new-password-again"):
            return
        password, again, words = self.password, self.again, self.context()
        self.screen.run_service(  # type: ignore[attr-defined]
            lambda: feedback(password, again, self.policy, words),
            self._show,
            group="password-feedback",
        )

    def _show(self, result: PasswordFeedback) -> None:
        rows = list(self.query(".rule"))
        for row, rule in zip(rows, result.rules, strict=False):
            row.update(("✓ " if rule.ok else "· ") + explain(rule.rule))
            row.set_class(rule.ok, "ok")
            row.set_class(not rule.ok, "todo")
        same = rows[-1]
        same.update(("✓ " if result.same else "· ") + _("Both passwords are the same"))
        same.set_class(result.same, "ok")
        same.set_class(not result.same, "todo")
        meter = self.query_one("#strength", Static)
        if result.empty:
            meter.update("")
        else:
            bars = "▰" * (result.score + 1) + "▱" * (4 - result.score)
            meter.update(
                _("Strength: {bars} {word}").format(bars=bars, word=_(STRENGTH_WORDS[result.score]))
            )
        for n in range(5):
            meter.set_class(n == result.score and not result.empty, f"strength-{n}")
