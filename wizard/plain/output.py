"""Provides Output: every line plain mode prints, cleaned of terminal control sequences and
scrubbed of secrets before it reaches the screen."""

from __future__ import annotations

import re
import shutil
import textwrap
from typing import IO, List, Optional

from ..redact import Redactor
from ..untrusted import sanitize


class Output:
    """Writes lines to a stream; text from HTTP or AWS may pass through it as it is."""

    def __init__(self, stream: IO[str], redactor: Optional[Redactor] = None) -> None:
        self.stream = stream
        # The walk's redactor once there is a walk: secrets the probes reveal are scrubbed from then on.
        self.redactor = redactor or Redactor()

    @property
    def live(self) -> bool:
        """True when a person watches the output in a terminal (progress lines are worth printing)."""
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    @property
    def width(self) -> int:
        return min(100, shutil.get_terminal_size((100, 24)).columns)

    def say(self, text: str = "", wrap: bool = True) -> None:
        """Print one line (or several), cleaned and scrubbed; on a terminal, a line wider than it is
        wrapped at spaces (never mid-word), its continuation indented under its text. `wrap=False`
        for a command to copy, which a line break would spoil."""
        if not wrap or not self.live:  # piped to a file or a script: whole lines, for grep
            self.write(text + "\n")
            return
        clean = sanitize(text, self.redactor)  # redacted before wrapping: a cut URL would hide its secret
        folded = "".join(line + "\n" for raw in clean.split("\n") for line in self.fold(raw))
        self.stream.write(sanitize(folded, self.redactor))  # already clean: the writer's one rule, kept
        self.stream.flush()

    def fold(self, line: str) -> List[str]:
        """One line folded to the terminal's width at word boundaries; continuation lines hang under
        the text after the line's indent and mark ("   ✓ ", "── 3. ", "  - ")."""
        if len(line) <= self.width:
            return [line]
        lead = len(line) - len(line.lstrip())
        mark = re.match(r"(?:[^\w\s(\"'\[]{1,2}\s+(?:\d+\.\s+)?|\d+[.)]\s+|-\s+)", line[lead:])
        hang = " " * (lead + (len(mark.group(0)) if mark else 2))
        return textwrap.wrap(line, width=self.width, subsequent_indent=hang, break_long_words=False,
                             break_on_hyphens=False, drop_whitespace=True) or [line]

    def write(self, text: str) -> None:
        """Print text as it is (after cleaning and scrubbing), e.g. a rendered report."""
        self.stream.write(sanitize(text, self.redactor))
        self.stream.flush()

    def wrapped(self, text: str, indent: str) -> None:
        """Print a paragraph wrapped to the terminal."""
        lines: List[str] = textwrap.wrap(" ".join(sanitize(text, self.redactor).split()), width=max(20, self.width),
                                         initial_indent=indent, subsequent_indent=indent,
                                         break_long_words=False, break_on_hyphens=False)
        for line in lines:
            self.say(line, wrap=False)
