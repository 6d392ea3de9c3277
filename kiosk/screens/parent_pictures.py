"""Picture preferences: pick 8 pictures you like, then 8 you dislike, review, save.

These are the "security preferences" that recovery asks about (pick your 8 liked ones out of the
16 shown). The grid scrolls, so the screen works at 80x24; it is used by keyboard (arrows and
space/enter) or mouse. Changing existing pictures from settings needs the password.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.errors import KioskError
from kiosk.i18n import N_, _
from kiosk.pictures import DISLIKED_COUNT, LIKED_COUNT, PICTURES
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.screens.parent_flow import continue_with
from kiosk.services.accounts import Session, set_pictures, skip_setup
from kiosk.widgets.pictures import DISLIKED, LIKED, PicturePicker, mark_labels, picture_name
from kiosk.widgets.secret import SecretInput

REVIEW = "review"


class ParentPicturesScreen(ParentScreen):
    KEY_HINT = N_("Arrows: move  ·  Space: pick  ·  Tab: buttons")

    BACK_BUTTONS = ("#back",)

    def __init__(self, *, setup: bool = True) -> None:
        super().__init__()
        self.setup = setup
        self.stage = LIKED

    def esc_hint(self) -> str:
        return N_("Esc: sign out") if self.setup and self.stage == LIKED else N_("Esc: back")

    def leave_otherwise(self) -> None:
        if self.setup:  # the first set-up step: the set-up asks again at the next sign-in
            self.sign_out()

    def compose_page(self) -> ComposeResult:
        session: Session | None = self.shell.session  # type: ignore[assignment]
        with Vertical(id="pictures", classes="parent-page"):
            yield Static(_("Choose your security pictures"), classes="title")
            yield message(id="instructions", classes="lead")
            yield PicturePicker(
                [p.id for p in PICTURES], mode=LIKED, limit=LIKED_COUNT, labels=mark_labels()
            )
            with VerticalScroll(id="review"):
                yield Static(_("Pictures you like:"), classes="field-label")
                yield message(id="review-liked")
                yield Static(_("Pictures you dislike:"), classes="field-label")
                yield message(id="review-disliked")
                if not self.setup:
                    yield Label(_("Your password"), classes="field-label")
                    yield SecretInput(id="pictures-password", placeholder=_("Password"))
            yield message(id="pictures-error")
            with Horizontal(classes="actions"):
                yield message(id="counter", classes="counter")
                yield Button(_("Back"), id="back")
                yield Button(_("Next"), id="next", variant="primary")
                yield Button(_("Save"), id="save", variant="primary")
                if self.setup and session is not None and session.may_skip:
                    yield Button(_("Skip pictures for now"), id="skip")

    def on_mount(self) -> None:
        self.show_stage(LIKED)

    @property
    def picker(self) -> PicturePicker:
        return self.query_one(PicturePicker)

    def show_stage(self, stage: str) -> None:
        self.stage = stage
        picker = self.picker
        reviewing = stage == REVIEW
        picker.display = not reviewing
        self.query_one("#review").display = reviewing
        self.query_one("#next").display = not reviewing
        self.query_one("#save").display = reviewing
        self.query_one("#back").display = not (stage == LIKED and self.setup)
        self.refresh_footer()
        if stage == LIKED:
            picker.set_mode(LIKED)
            self.instruct(
                _("Pick {n} pictures you like. Use the arrows and Space, or click.").format(
                    n=LIKED_COUNT
                ),
            )
        elif stage == DISLIKED:
            picker.set_mode(DISLIKED)
            hint = _("Now pick {n} pictures you dislike. Those marked Like are already chosen.")
            self.instruct(hint.format(n=DISLIKED_COUNT))
        else:
            self.instruct(
                _("Check your choices. Remember them: they help you reset your password."),
            )
            self.say(
                "#review-liked",
                ", ".join(picture_name(p) for p in picker.chosen(LIKED)),
                plain=True,
            )
            self.say(
                "#review-disliked",
                ", ".join(picture_name(p) for p in picker.chosen(DISLIKED)),
                plain=True,
            )
        self.update_counter()
        if reviewing:
            target = self.query("#pictures-password") or self.query("#save")
            target.first().focus()
        else:
            tiles = [t for t in picker.tiles if t.mark is None] or picker.tiles
            tiles[0].focus()

    def instruct(self, text: str) -> None:
        self.say("#instructions", text, plain=True)

    def update_counter(self) -> None:
        liked, disliked = self.picker.count(LIKED), self.picker.count(DISLIKED)
        if self.stage == LIKED:
            text = _("Liked: {n} of {total}").format(n=liked, total=LIKED_COUNT)
            ready = liked == LIKED_COUNT
        elif self.stage == DISLIKED:
            text = _("Disliked: {n} of {total}").format(n=disliked, total=DISLIKED_COUNT)
            ready = disliked == DISLIKED_COUNT
        else:
            text, ready = "", True
        self.say("#counter", text, plain=True)
        self.query_one("#next", Button).disabled = not ready

    @on(PicturePicker.Changed)
    def picked(self, event: PicturePicker.Changed) -> None:
        self.update_counter()
        if not event.refused and event.picker.count() == event.picker.limit:
            self.query_one("#next", Button).focus()  # all picked: Enter goes on
        if event.refused == "full":
            self.say(
                "#pictures-error",
                _("You have picked {n}. Press a picked one again to un-pick it.").format(
                    n=event.picker.limit
                ),
                error=True,
            )
        elif event.refused == "other":
            self.say("#pictures-error", _("You already liked that picture."), error=True)
        else:
            self.say("#pictures-error", "")

    @on(Button.Pressed, "#next")
    def next_stage(self) -> None:
        self.show_stage(DISLIKED if self.stage == LIKED else REVIEW)

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        if self.stage == REVIEW:
            self.show_stage(DISLIKED)
        elif self.stage == DISLIKED:
            self.show_stage(LIKED)
        elif not self.setup:
            self.clear_secrets()
            self.app.pop_screen()

    @on(Input.Submitted, "#pictures-password")
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        liked, disliked = self.picker.chosen(LIKED), self.picker.chosen(DISLIKED)
        field = self.query("#pictures-password")
        password = field.first(Input).value if field else None
        self.run_service(
            lambda: set_pictures(ctx, session, liked, disliked, password=password),
            self._saved,
            self._failed,
        )

    def _saved(self, session: Session) -> None:
        self.clear_secrets()
        self.app.notify(_("Your security pictures are saved."), markup=False)
        if self.setup:
            continue_with(self, session)
        else:
            self.shell.session = session
            self.app.pop_screen()

    def _failed(self, error: KioskError) -> None:
        self.say_error("#pictures-error", error)

    @on(Button.Pressed, "#skip")
    def skip(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        self.run_service(
            lambda: skip_setup(ctx, session), lambda s: continue_with(self, s), self._failed
        )
