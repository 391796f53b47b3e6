"""Provides `edgewiz resume [JOURNAL]` (continue an interrupted walk from its last complete step)
and `edgewiz resume --list` (the walks on disk, finished or not)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import List, Optional

from ..journal import JournalContents, latest_journal, read_journal, state_dir
from ..redact import Redactor
from ..untrusted import clean
from .common import CliError


def register(sub) -> None:
    p = sub.add_parser("resume", help="continue an interrupted walk from its last complete step",
                       description="Continue the newest unfinished walk (or JOURNAL) where it stopped: "
                                   "every step already journaled is replayed, not probed again.")
    p.add_argument("journal", nargs="?", help="a journal file or its name (default: the newest unfinished walk)")
    p.add_argument("--list", action="store_true", help="list the journals: time, URL, finished or not")
    # SUPPRESS: `edgewiz --plain resume` must not be undone by this option's default.
    p.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                   help="plain prompts instead of the full-screen app")
    p.set_defaults(func=run)


def journals_dir() -> Path:
    return state_dir() / "journals"


def find_journal(name: Optional[str]) -> Path:
    """The journal to resume: the one named (a path, or a file name in the journals directory),
    else the newest unfinished one; CliError when there is none."""
    if name:
        path = Path(name).expanduser()
        if not path.exists() and path.name == name:
            path = journals_dir() / name
        if not path.is_file():
            raise CliError(f"no journal at {name} (`edgewiz resume --list` shows them)")
        return path
    path = latest_journal(journals_dir())
    if path is None:
        raise CliError(f"nothing to resume: no unfinished walk in {journals_dir()} "
                       "(`edgewiz resume --list` shows them all)")
    return path


def _contents(path: Path) -> JournalContents:
    try:
        return read_journal(path)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _root_causes(contents: JournalContents) -> List[str]:
    end = next((e for e in reversed(contents.events) if e.get("type") == "end"), {})
    return [str(r) for r in end.get("root_causes") or []]


def run(args) -> int:
    if args.list:
        return list_journals()
    path = find_journal(args.journal)
    contents = _contents(path)
    if contents.finished:
        causes = ", ".join(_root_causes(contents)) or "no root cause"
        raise CliError(f"{path.name} is a finished walk ({clean(causes)}); nothing to resume. "
                       "Start a new one with `edgewiz`.")
    from .interactive import run_interactive

    args.lab = None  # a resumed walk runs where its journal says (the lab it started on, if any)
    return run_interactive(args, resume_path=path)


def describe(contents: JournalContents) -> str:
    """One line for --list: time, state, URL, root causes (text from the file is cleaned)."""
    header = contents.header
    started = header.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if isinstance(started, (int, float)) else "?"
    url = (header.get("symptom") or {}).get("url", "?")
    if contents.finished:
        causes = _root_causes(contents)
        state, tail = "finished  ", ("root causes: " + ", ".join(causes) if causes else "no root cause")
    else:
        steps = sum(1 for e in contents.events if e.get("type") in ("probes", "answer"))
        state, tail = "unfinished", f"stopped after {steps} step{'s' if steps != 1 else ''}"
    lab = (header.get("target") or {}).get("lab_scenario")
    line = f"{when}  {state}  {url}  {tail}" + (f"  (lab {lab})" if lab else "") + f"  [{contents.path.name}]"
    return Redactor().scrub(clean(line))


def list_journals() -> int:
    directory = journals_dir()
    paths = sorted(directory.glob("walk-*.jsonl"), reverse=True) if directory.is_dir() else []
    if not paths:
        print(f"No journals in {directory}.")
        return 0
    print(f"Journals in {directory} (newest first):")
    for path in paths:
        try:
            print(describe(read_journal(path)))
        except (OSError, ValueError) as exc:
            print(clean(f"?  damaged  {exc}  [{path.name}]"))
    return 0
