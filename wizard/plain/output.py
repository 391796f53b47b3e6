"""Provides Output: every line plain mode prints, cleaned of terminal control sequences and
scrubbed of secrets before it reaches the screen."""

from __future__ import annotations

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

    def say(self, text: str = "") -> None:
        """Print one line (or several), cleaned and scrubbed."""
        self.write(text + "\n")

    def write(self, text: str) -> None:
        """Print text as it is (after cleaning and scrubbing), e.g. a rendered report."""
        self.stream.write(sanitize(text, self.redactor))
        self.stream.flush()

    def wrapped(self, text: str, indent: str) -> None:
        """Print a paragraph wrapped to the terminal."""
        lines: List[str] = textwrap.wrap(" ".join(sanitize(text, self.redactor).split()), width=max(40, self.width - len(indent)),
                                         initial_indent=indent, subsequent_indent=indent)
        for line in lines:
            self.say(line)
