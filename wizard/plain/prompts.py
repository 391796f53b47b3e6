"""Provides the questions plain mode asks (questionary prompts) and their stand-in when stdin is
not a terminal: the default is taken and the person is told so, so a piped run never hangs."""

from __future__ import annotations

from typing import Callable, Optional, Sequence, Tuple, Union

import questionary

Validator = Callable[[str], Union[bool, str]]


class Cancelled(Exception):
    """The person pressed Ctrl-C (or Ctrl-D) at a prompt."""


class Prompter:
    """Asks with questionary when a person is at the keyboard; otherwise answers with the default
    (the walk's suggestion, the prefilled value) and says that it did."""

    def __init__(self, interactive: bool, say: Callable[[str], None]) -> None:
        self.interactive = interactive
        self.say = say

    def select(self, message: str, choices: Sequence[Tuple[str, str]], default: Optional[str] = None) -> str:
        """One of `choices` ((value, label) pairs); `default` is highlighted first."""
        if default is not None and default not in [value for value, _ in choices]:
            default = None
        if not self.interactive:
            value = default if default is not None else choices[0][0]
            label = dict(choices)[value]
            why = "the suggestion" if default is not None else "the first choice"
            self.say(f"   {message} → {label}  (stdin is not a terminal: answered with {why})")
            return value
        question = questionary.select(
            message, choices=[questionary.Choice(title=label, value=value) for value, label in choices],
            default=default)
        return self._ask(question)

    def text(self, message: str, default: str = "", validate: Optional[Validator] = None) -> str:
        """Free text, prefilled with `default`."""
        if not self.interactive:
            return default
        return str(self._ask(questionary.text(message, default=default or "", validate=validate))).strip()

    @staticmethod
    def _ask(question) -> object:
        # questionary's ask() catches Ctrl-C and returns None; Ctrl-D surfaces as EOFError.
        try:
            answer = question.ask(kbi_msg="")
        except EOFError:
            raise Cancelled() from None
        if answer is None:
            raise Cancelled()
        return answer
