"""Provides Pane: a bordered container with its title in the border (k9s / lazygit habit). While
focus is inside it the border turns heavy and the title gains a leading ▶, so the focused pane shows
without colour (NO_COLOR, monochrome terminals, screen readers of captures)."""

from __future__ import annotations

from typing import Optional

from textual import events
from textual.containers import Vertical
from textual.content import Content

from ..display import line

FOCUSED = "▶ "


class Pane(Vertical):
    """A titled, bordered pane that says when it holds the focus."""

    DEFAULT_CSS = """
    Pane {
        border: round $border-blurred;
        border-title-align: left;
        border-title-color: $text-muted;
        padding: 0 0 0 1;
    }
    Pane.-focused {
        border: heavy $border;
        border-title-color: $text;
        border-title-style: bold;
    }
    """

    def __init__(self, *children, title="", id: Optional[str] = None, classes: str = "") -> None:
        super().__init__(*children, id=id, classes=classes)
        self._title: Content = title if isinstance(title, Content) else line(str(title))

    @property
    def title(self) -> Content:
        """The title as set (without the focus mark)."""
        return self._title

    def set_title(self, title) -> None:
        """Change the title (plain text, cleaned, or Content built with display.line)."""
        self._title = title if isinstance(title, Content) else line(str(title))
        self._retitle()

    def on_mount(self) -> None:
        self._retitle()

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._retitle()

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        # Focus may have moved to another pane already, or nowhere: ask the screen who has it.
        self.call_after_refresh(self._retitle)

    @property
    def focused(self) -> bool:
        """Whether the focused widget is this pane or inside it."""
        focused = self.screen.focused if self.is_attached else None
        return focused is not None and (focused is self or self in focused.ancestors)

    def _retitle(self) -> None:
        inside = self.focused
        self.set_class(inside, "-focused")
        self.border_title = Content.assemble(FOCUSED, self._title) if inside else self._title
