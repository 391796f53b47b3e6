"""Provides the text hygiene for anything that came from outside (HTTP bodies and headers, AWS
fields, logs): strip terminal control sequences, redact secrets, shorten for display.

Untrusted text is data, never instructions: a header value must not be able to clear the screen,
write to the clipboard (OSC 52), open a hyperlink, reorder what the reader sees (bidi overrides) or
style itself through Rich/Textual markup (the TUI never parses markup in it: wizard.tui.display builds
Content from plain text, and notifications go out with markup=False). This module imports nothing
from Textual so the pure core and the plain-text front end can use it too.

sanitize() and sanitize_data() are the one path every output channel uses (text, JSON, Markdown,
stderr progress, the journal, `lab up`, `logs`, plain mode, TUI notifications): control sequences
removed first, then secrets redacted (in that order, so an escape inside `Sig\x1b[0mnature=` cannot
hide a signed-URL parameter from the redactor). tests/trust/test_output_channels.py holds every
channel to it.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from .redact import Redactor

__all__ = ["clean", "sanitize", "sanitize_data", "shorten", "to_json"]

# String-type sequences carry a payload up to a terminator (BEL or ST = ESC \ or 0x9C). OSC is
# where clipboard writes (52), window titles and hyperlinks (8) live; DCS/SOS/PM/APC are the rest.
# An unterminated one would swallow everything after it on a real terminal, so drop it to the end.
_STRING_SEQ = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"  # ESC ] / ESC P / ESC X / ESC ^ / ESC _ or their C1 forms
    r".*?"
    r"(?:\x07|\x1b\\|\x9c|\Z)",
    re.DOTALL,
)
# CSI: ESC [ (or 0x9B) parameters, intermediates, one final byte (ECMA-48 5.4). A cut-off CSI at
# the end of the text is dropped too.
_CSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*(?:[@-~]|\Z)")
# Other escapes: ESC + intermediates + a final byte (charset switches, ESC c full reset, ESC 7/8).
_OTHER_ESC = re.compile(r"\x1b[ -/]*[0-~]")
# C0 controls except \t and \n, DEL, C1 controls; bidi embeddings/overrides/isolates (U+202A-202E,
# U+2066-2069) that make displayed text read differently from what it is ("Trojan Source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """The text without terminal control sequences, control characters or bidi overrides.

    Newlines and tabs stay; a CRLF becomes a newline (a bare CR could overwrite the line on screen).
    Non-string input is turned into a string first; bytes are decoded as UTF-8 with replacement.
    """
    if text is None:
        return ""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    elif not isinstance(text, str):
        text = str(text)
    if not text:
        return text
    text = text.replace("\r\n", "\n")
    text = _STRING_SEQ.sub("", text)
    text = _CSI.sub("", text)
    text = _OTHER_ESC.sub("", text)
    return _CONTROLS.sub("", text)


def shorten(text: object, n: int) -> str:
    """At most `n` characters of the cleaned text, ending in an ellipsis when it was cut."""
    text = clean(text)
    if n <= 0:
        return ""
    if len(text) <= n:
        return text
    if n == 1:
        return "…"
    return text[: n - 1].rstrip() + "…"


def sanitize(text: object, redactor: Optional[Redactor] = None, *, redact: bool = True) -> str:
    """Text ready for any output: cleaned of control sequences, then scrubbed of secrets.

    `redactor` carries the secrets a walk has learnt (a Referer secret); without one, signed-URL
    parameters, URL passwords and tokens are still redacted. `redact=False` is for the lab's own
    commands, whose fake signatures must survive to be pasted (they are cleaned all the same).
    """
    text = clean(text)
    if not redact:
        return text
    return (redactor or Redactor()).scrub(text)


def sanitize_data(obj: Any, redactor: Optional[Redactor] = None, *, clean_text: bool = True) -> Any:
    """A JSON-like structure with every string (keys too) passed through sanitize().

    Cleaning the data, not the serialized text, matters: json.dumps writes ESC as `\\u001b`,
    which survives a text-level clean and comes back raw from `jq -r`. `clean_text=False` only
    redacts: for the journal, which resume replays and must keep as the probes saw it (it is
    written with every control character JSON-escaped instead).
    """
    return (redactor or Redactor()).redact_obj(_clean_data(obj) if clean_text else obj)


def _clean_data(obj: Any) -> Any:
    if isinstance(obj, str):
        return clean(obj)
    if isinstance(obj, dict):
        return {_clean_data(k): _clean_data(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean_data(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return [_clean_data(v) for v in sorted(obj, key=str)]
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    return clean(obj)  # a date, a Path, an object: its text, cleaned (json.dumps would write str() raw)


def to_json(obj: Any, redactor: Optional[Redactor] = None, **dumps: Any) -> str:
    """json.dumps of sanitize_data(obj): the JSON every command prints (`default=str` for dates)."""
    import json

    dumps.setdefault("ensure_ascii", False)
    dumps.setdefault("default", str)
    return json.dumps(sanitize_data(obj, redactor), **dumps)
