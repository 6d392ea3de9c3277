"""The Welcome screen's button: Textual's Button with only the styles the kiosk uses.

Textual's Button brings 7 KB of default CSS (the flat and ANSI styles, five variants) and
Textual parses it, then matches it, before the first screen can be drawn: about 6 ms of every
cold start, a fifth of the time the kiosk spends on top of a bare Textual app. Welcome is that
first screen, so its buttons carry only the default and primary looks, rule for rule as
Textual draws them. Everything else (Enter and click, the pressed effect, ``Button.Pressed``)
is Textual's own.

``inherit_css=False`` also drops "Button" from the CSS type names: select these as
``KioskButton`` (or by id and class), not as ``Button``.
"""

from __future__ import annotations

from textual.widgets import Button


class KioskButton(Button, inherit_css=False):
    DEFAULT_CSS = """
    KioskButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-foreground;
        background: $surface;
        border: none;
        border-top: tall $surface-lighten-1;
        border-bottom: tall $surface-darken-1;

        &:disabled {
            text-opacity: 0.6;
            pointer: not-allowed;
        }
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            border-top: tall $surface;
            background: $surface-darken-1;
        }
        &.-active {
            background: $surface;
            border-bottom: tall $surface-lighten-1;
            border-top: tall $surface-darken-1;
            tint: $background 30%;
        }
        &.-primary {
            color: $button-color-foreground;
            background: $primary;
            border-top: tall $primary-lighten-3;
            border-bottom: tall $primary-darken-3;

            &:hover {
                background: $primary-darken-2;
                border-top: tall $primary;
            }
            &.-active {
                background: $primary;
                border-bottom: tall $primary-lighten-3;
                border-top: tall $primary-darken-3;
            }
        }
    }
    """
