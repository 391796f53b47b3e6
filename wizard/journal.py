"""Provides the walk journal: every step appended to a JSON-lines file as it happens (flushed and
fsynced), so an SSH drop or `kill -9` loses at most the step in flight, and `edgewiz resume` can
continue from the last complete one.

Secrets never reach the file: events pass through the Redactor first. A probe outcome whose data
had something redacted is marked, and resume probes that step again instead of trusting a
redacted copy (a redacted Referer secret would otherwise compare equal to anything redacted).

A journal is data, not configuration (docs/security.md): resume reads only the user's own journals
(owned by them, not writable by group or others), "the newest journal" counts only files named like
a journal, regular, owned by the user and mode 0600, and the target a journal records is shown to
the user, never used on its own (commands/resume_cmd.py).
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .redact import MARK, Redactor
from .untrusted import clean, sanitize_data

VERSION = 1
# The names Journal.create gives; anything else in the directory is not one of ours.
JOURNAL_NAME = re.compile(r"^walk-\d{8}-\d{6}-[0-9a-f]{6}\.jsonl$")


class JournalRefused(ValueError):
    """A journal edgewiz will not read for resume (someone else's, or one others can change)."""


def refusal(path: Path, st: os.stat_result) -> Optional[str]:
    """Why a journal with this stat must not be resumed (None when it may): the user's own file,
    which group and others cannot write. Says what to do about it."""
    if not stat.S_ISREG(st.st_mode):
        return f"{clean(path)} is not a regular file; resume only reads journal files"
    if st.st_uid != os.getuid():
        return (f"{clean(path)} is not owned by you (owner uid {st.st_uid}); someone else's journal could "
                "steer the walk. If you trust it, copy it (cp) and resume your copy")
    if st.st_mode & 0o022:
        return (f"{clean(path)} is writable by group or others (mode {stat.S_IMODE(st.st_mode):04o}), so someone "
                f"else could have changed it. If it is yours and you trust it, `chmod 600` it and resume again")
    return None


def state_dir() -> Path:
    """Where journals live: $EDGEWIZ_STATE_DIR, else $XDG_STATE_HOME/edgewiz, else ~/.local/state/edgewiz."""
    if os.environ.get("EDGEWIZ_STATE_DIR"):
        return Path(os.environ["EDGEWIZ_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "edgewiz"


def _contains_mark(value: Any) -> bool:
    if isinstance(value, str):
        return MARK in value
    if isinstance(value, dict):
        return any(_contains_mark(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_mark(v) for v in value)
    return False


class Journal:
    """An append-only journal file for one walk."""

    def __init__(self, path: Path, redactor: Optional[Redactor] = None) -> None:
        self.path = Path(path)
        self.redactor = redactor or Redactor()

    @classmethod
    def create(cls, header: Dict[str, Any], directory: Optional[Path] = None,
               redactor: Optional[Redactor] = None) -> "Journal":
        """A new journal whose first line is the header (symptom, target, flow)."""
        directory = Path(directory or state_dir() / "journals")
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = time.strftime("walk-%Y%m%d-%H%M%S-") + os.urandom(3).hex() + ".jsonl"
        journal = cls(directory / name, redactor)
        journal.append(dict(header, type="start", version=VERSION, started=time.time()))
        return journal

    def drop_torn_tail(self) -> None:
        """Cut the file back to its last complete line, so the next event starts on a line of its
        own (a kill mid-write leaves a fragment that would otherwise glue onto it)."""
        data = self.path.read_bytes()
        keep = data.rfind(b"\n") + 1
        if keep == len(data):
            return
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.ftruncate(fd, keep)
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, event: Dict[str, Any]) -> None:
        """Write one event durably (one line; flush; fsync) before the walk moves on."""
        # The one output path (untrusted.sanitize_data), with text kept as the probes saw it: resume
        # replays these answers and must reach the verdict the live walk did. ensure_ascii writes
        # every control character and bidi override as a \u escape, inert for `cat` or `less`.
        event = sanitize_data(dict(event), self.redactor, clean_text=False)
        if event.get("type") == "probes":
            event["redacted"] = _contains_mark(event.get("outcomes"))
        line = json.dumps(event, ensure_ascii=True, separators=(",", ":")) + "\n"
        # O_NOFOLLOW: a symlink swapped in for the journal must not redirect the walk's writes.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass
class JournalContents:
    """What a journal file holds: its header, its complete events, and whether the tail was torn."""

    path: Path
    header: Dict[str, Any]
    events: List[Dict[str, Any]] = field(default_factory=list)
    torn: bool = False

    @property
    def finished(self) -> bool:
        return any(e.get("type") == "end" for e in self.events)


def read_journal(path: Path, private: bool = False) -> JournalContents:
    """Read a journal; a torn or garbled last line (the write a kill interrupted) is dropped.

    private=True (resume): JournalRefused unless the file is the user's own and only they can write
    it. The check is on the opened file (fstat), so it cannot be swapped between check and read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not hang the open
    try:
        if private:
            why = refusal(Path(path), os.fstat(fd))
            if why:
                raise JournalRefused(why)
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read()
    finally:
        os.close(fd)
    raw = data.split(b"\n")
    lines: List[Dict[str, Any]] = []
    torn = False
    for i, chunk in enumerate(raw):
        if not chunk.strip():
            continue
        try:
            lines.append(json.loads(chunk.decode("utf-8")))
        except (ValueError, UnicodeDecodeError):
            if i >= len(raw) - 2:  # only the last line can be torn; anything earlier is corruption
                torn = True
                break
            raise ValueError(f"{path}: line {i + 1} is not valid JSON; the journal is damaged") from None
    if not lines or lines[0].get("type") != "start":
        raise ValueError(f"{path}: not an edgewiz journal (no start line)")
    return JournalContents(Path(path), lines[0], lines[1:], torn)


def replayable(events: List[Dict[str, Any]]) -> Tuple[List[Dict[str, Any]], bool]:
    """The events resume may apply as they are: everything before the first step whose probe data
    was redacted (that step is probed again). Returns (events, stopped_early)."""
    out = []
    for event in events:
        if event.get("type") not in ("probes", "answer"):
            continue
        if event.get("type") == "probes" and event.get("redacted"):
            return out, True
        out.append(event)
    return out, False


def is_own_journal(path: Path) -> bool:
    """A file that may count as "the newest journal": named like one, a regular file (not a
    symlink), owned by the user, mode exactly 0600 (what Journal.create makes). In a shared state
    directory anything else may have been planted to be picked up by a plain `edgewiz resume`."""
    if not JOURNAL_NAME.match(path.name):
        return False
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o600


def latest_journal(directory: Optional[Path] = None, unfinished_only: bool = True) -> Optional[Path]:
    """The newest of the user's own journals (unfinished ones only, by default)."""
    directory = Path(directory or state_dir() / "journals")
    if not directory.is_dir():
        return None
    for path in sorted(directory.glob("walk-*.jsonl"), reverse=True):
        if not is_own_journal(path):
            continue
        try:
            if not unfinished_only or not read_journal(path, private=True).finished:
                return path
        except (OSError, ValueError):
            continue
    return None
