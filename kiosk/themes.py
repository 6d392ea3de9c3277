"""Where the stylesheets live, in a checkout and in an installed wheel.

The wheel carries ``themes/`` as ``kiosk/themes`` (see pyproject's force-include); an editable
install or a source checkout reads the top-level ``themes/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).parent


def themes_dir() -> Path:
    for candidate in (_PACKAGE / "themes", _PACKAGE.parent / "themes"):
        if (candidate / "app.tcss").exists():
            return candidate
    raise FileNotFoundError(
        "The Front Desk stylesheets (themes/app.tcss) are missing; reinstall the package."
    )


_THEMES = themes_dir()

#: What Textual loads, and when. The app's own, before Welcome: the app-wide rules and the
#: parent page frame, all that Welcome needs. The parent forms' rules, with the first parent
#: screen after Welcome; the staff screens' rules, with the first staff screen or dialog.
APP_CSS = [_THEMES / "app.tcss", _THEMES / "parent.tcss"]
PARENT_FORMS_CSS = [_THEMES / "parent_forms.tcss"]
STAFF_CSS = [_THEMES / "staff.tcss"]
#: The admin console's tools and dialogs, on top of the staff styles.
ADMIN_CSS = [*STAFF_CSS, _THEMES / "admin.tcss"]


# -- theme definitions (plain data; kiosk/app.py turns them into Textual themes) ------------

DEFAULT_THEME = "front-desk"
DEFAULT_ACCENT = "#1f6feb"


def theme_colours(name: str, accent: str) -> dict[str, object]:
    """The colours of one of the two themes, as keyword arguments for ``textual.theme.Theme``.

    "front-desk" is calm and dark with the district's accent colour; "high-contrast" is pure
    black and white with yellow focus, for low vision and washed-out screens. Unknown names get
    the default so a typo never leaves the kiosk unstyled.
    """
    if name == "high-contrast":
        return dict(
            name="high-contrast",
            primary="#ffff00",
            secondary="#00ffff",
            accent="#ffff00",
            foreground="#ffffff",
            background="#000000",
            surface="#000000",
            panel="#1a1a1a",
            boost="#333333",
            warning="#ffaa00",
            error="#ff8080",  # 7:1 on the panel grey too (#ff5555 is 5.5:1 there)
            success="#55ff55",
            dark=True,
            variables={
                "text-muted": "#ffffff",
                "text-disabled": "#c8c8c8",  # placeholders: 11:1 on black
                "footer-key-foreground": "#ffff00",
                "border-blurred": "#ffffff",  # every input and select keeps a white box
                "border": "#ffff00",  # and a yellow one with the focus
                "input-selection-background": "#ffff00",  # selected text: black on yellow
                "input-selection-foreground": "#000000",
            },
        )
    return dict(
        name=DEFAULT_THEME,
        primary=accent,
        secondary="#6e7781",
        accent=accent,
        foreground="#e6edf3",
        background="#0d1117",
        surface="#161b22",
        panel="#21262d",
        warning="#d29922",
        error="#f85149",
        success="#3fb950",
        dark=True,
    )


THEME_NAMES = (DEFAULT_THEME, "high-contrast")
