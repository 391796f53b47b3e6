"""Provides the questions plain mode asks: questionary's arrow-key prompts on a capable terminal,
numbered choices read line by line on a dumb one (TERM=dumb or unset: no escape sequences at all),
and, when stdin is not a terminal, the default taken and the person told so, so a piped run never
hangs."""

from __future__ import annotations

import sys
from typing import IO, Callable, Optional, Sequence, Tuple, Union

Validator = Callable[[str], Union[bool, str]]


class Cancelled(Exception):
    """The person pressed Ctrl-C (or Ctrl-D) at a prompt."""


class Prompter:
    """Asks with questionary when a person is at a capable terminal, with numbered choices typed as
    lines on a dumb one; without a terminal, answers with the default (the walk's suggestion, the
    prefilled value) and says that it did."""

    def __init__(self, interactive: bool, say: Callable[[str], None], numbered: bool = False,
                 write: Optional[Callable[[str], None]] = None, stdin: Optional[IO[str]] = None) -> None:
        self.interactive = interactive
        self.say = say
        self.numbered = numbered
        self.write = write or (lambda text: say(text.rstrip("\n")))
        self.stdin = stdin

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
        if self.numbered:
            return self._numbered_select(message, choices, default)
        import questionary

        question = questionary.select(
            message, choices=[questionary.Choice(title=label, value=value) for value, label in choices],
            default=default)
        return self._ask(question)

    def text(self, message: str, default: str = "", validate: Optional[Validator] = None) -> str:
        """Free text, prefilled with `default`."""
        if not self.interactive:
            return default
        if self.numbered:
            return self._line_text(message, default, validate)
        import questionary

        return str(self._ask(questionary.text(message, default=default or "", validate=validate))).strip()

    def pause(self, message: str = "Enter to go on") -> None:
        """Wait for Enter (a line read from stdin, the same on a dumb terminal and a capable one);
        Ctrl-D or Ctrl-C raises Cancelled. Never waits when nobody can answer."""
        if not self.interactive:
            return
        try:
            self._readline(f"   [{message}] ")
        except KeyboardInterrupt:
            raise Cancelled() from None

    # Dumb terminals: plain lines, nothing but text on the screen -------------------------------

    def _readline(self, prompt: str) -> str:
        self.write(prompt)
        line = (self.stdin or sys.stdin).readline()
        if not line:  # end of input (Ctrl-D)
            raise Cancelled()
        return line.strip()

    def _numbered_select(self, message: str, choices: Sequence[Tuple[str, str]], default: Optional[str]) -> str:
        values = [value for value, _ in choices]
        self.say(message)
        for number, (value, label) in enumerate(choices, 1):
            self.say(f"  {number}) {label}" + ("  (suggested)" if value == default else ""))
        hint = f" [{values.index(default) + 1}]" if default is not None else ""
        while True:
            typed = self._readline(f"Choose 1-{len(choices)}{hint}: ")
            if not typed and default is not None:
                return default
            if typed.isdigit() and 1 <= int(typed) <= len(choices):
                return values[int(typed) - 1]
            self.say(f"Type a number from 1 to {len(choices)}" + (", or Enter for the suggestion." if hint else "."))

    def _line_text(self, message: str, default: str, validate: Optional[Validator]) -> str:
        while True:
            # The question on its own (wrapped) line, the default under it: a long URL as the
            # default would otherwise push the line past the terminal's width.
            self.say(message)
            typed = self._readline(f"  [{default}] " if default else "  > ") or default or ""
            verdict = validate(typed) if validate is not None else True
            if verdict is True:
                return typed.strip()
            self.say(f"  {verdict}")

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
