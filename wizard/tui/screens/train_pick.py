"""Provides TrainPickScreen: the training catalogue by level (`edgewiz train tui` without a name, and
what a browser classroom opens on); Enter starts the highlighted exercise."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ..display import line, plain


class TrainPickScreen(Screen):
    """Pick an exercise."""

    DEFAULT_CSS = """
    #train-intro { height: auto; padding: 1 1 0 1; margin-bottom: 1; }
    #exercises { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self) -> ComposeResult:
        from ...training.catalogue import by_level, exercises

        yield Header()
        yield Static(line(("Training: pick an exercise", "bold"), "\n",
                          ("A lab breaks the way the brief says; find and fix what is wrong. The verdict stays "
                           "hidden until you commit your answer. ↑↓ to move, ⏎ to start.", "$text-muted")),
                     id="train-intro")
        options = []
        items = exercises()
        width = max(len(e.name) for e in items)
        for title, group in by_level(items):
            options.append(Option(plain(title, "bold"), disabled=True))
            for e in group:
                first = e.brief.splitlines()[0] if e.brief else ""
                options.append(Option(line(f"  {e.name:<{width}}  ", (f"{e.minutes:>3} min", "$text-muted"),
                                           f"  {first}"), id=e.name))
        yield OptionList(*options, id="exercises")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "training"
        choices = self.query_one("#exercises", OptionList)
        choices.highlighted = next((i for i in range(choices.option_count)
                                    if not choices.get_option_at_index(i).disabled), None)
        choices.focus()

    @on(OptionList.OptionSelected, "#exercises")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.start_exercise(event.option.id)
