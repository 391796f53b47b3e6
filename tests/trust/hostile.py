"""The hostile strings the trust tests feed through every display path, and the check of what comes out."""

from __future__ import annotations

import re

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # write "evil" to the clipboard
CLEAR = "\x1b[2J"  # clear the screen
C1_CSI = "\x9b31m"  # the 8-bit CSI: red text without an ESC byte
BOLD = "[bold]x[/bold]"
LINK = "[link=file:///etc/passwd]x[/link]"
BIDI = "\u202eevil\u202c"  # right-to-left override: "evil" shows as "live"
ISOLATE = "\u2066x\u2069"

HOSTILE = OSC52 + CLEAR + BOLD + LINK + BIDI + ISOLATE + C1_CSI

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_characters(text: str) -> list:
    """The control characters (ESC, C1, bidi overrides...) left in text; [] when it is safe to print."""
    return sorted(set(_UNSAFE.findall(text)))


def shows_markup_literally(text: str) -> bool:
    """The markup arrived as the characters it is made of (wrapping and spacing ignored)."""
    flat = "".join(text.split())
    return BOLD in flat and LINK in flat
