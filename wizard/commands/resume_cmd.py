"""Provides `edgewiz resume [JOURNAL]` (continue an interrupted walk from its last complete step)
and `edgewiz resume --list` (the walks on disk, finished or not).

The walk's target (profile, endpoint, route, lab) comes from the flags, as for a new walk: a
journal is data, not configuration (wizard/resume_target.py). The target a journal recorded is
shown and used only after a yes on a terminal; without one, resume refuses and names the flags.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List, Optional

from ..journal import JournalContents, JournalRefused, is_own_journal, latest_journal, read_journal, state_dir
from ..resume_target import Flags, adopt, plan, shown
from ..untrusted import clean, sanitize
from .common import CliError


def register(sub) -> None:
    p = sub.add_parser("resume", help="continue an interrupted walk from its last complete step",
                       description="Continue the newest unfinished walk (or JOURNAL) where it stopped: "
                                   "every step already journaled is replayed, not probed again.")
    p.add_argument("journal", nargs="?", help="a journal file or its name (default: the newest unfinished walk)")
    p.add_argument("--list", action="store_true", help="list the journals: time, URL, finished or not")
    p.add_argument("--profile", help="AWS profile (default: the normal credential chain, not the journal's)")
    p.add_argument("--region", help="AWS region (default: the journal's)")
    p.add_argument("--endpoint-url", help="AWS endpoint (default: $AWS_ENDPOINT_URL, not the journal's)")
    p.add_argument("--connect-to", help="send HTTP probes to ADDR:PORT (or HOST=ADDR:PORT,...), as for diagnose")
    p.add_argument("--no-aws", action="store_true", default=None, help="HTTP probes only")
    # SUPPRESS: `edgewiz --lab NAME resume` must not be undone by this option's default.
    p.add_argument("--lab", default=argparse.SUPPRESS, metavar="SCENARIO",
                   help="resume on this lab scenario (a journal's built-in lab is restarted without asking)")
    # SUPPRESS: `edgewiz --plain resume` must not be undone by this option's default.
    p.add_argument("--plain", action="store_true", default=argparse.SUPPRESS,
                   help="plain prompts instead of the full-screen app")
    p.add_argument("--no-pause", "--yes", dest="no_pause", action="store_true", default=argparse.SUPPRESS,
                   help="plain mode: no waiting for Enter between steps, no end menu")
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
            raise CliError(f"no journal at {clean(name)} (`edgewiz resume --list` shows them)")
        return path.resolve()  # new steps are appended to the file itself (appends never follow a symlink)
    path = latest_journal(journals_dir())
    if path is None:
        raise CliError(f"nothing to resume: no unfinished walk in {journals_dir()} "
                       "(`edgewiz resume --list` shows them all)")
    return path


def _contents(path: Path) -> JournalContents:
    try:
        return read_journal(path, private=True)
    except JournalRefused as exc:
        raise CliError(f"not resuming: {exc}") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _end(contents: JournalContents) -> dict:
    end = next((e for e in reversed(contents.events) if e.get("type") == "end"), {})
    return end if isinstance(end, dict) else {}


def _root_causes(contents: JournalContents) -> List[str]:
    return [str(r) for r in _end(contents).get("root_causes") or []]


def _outcome(contents: JournalContents) -> str:
    """The end's outcome; journals written before it was recorded: inconclusive when the walk stopped
    at an end other than the verdict (every such end is inconclusive in the flows)."""
    end = _end(contents)
    if end.get("outcome"):
        return str(end["outcome"])
    if _root_causes(contents):
        return "root-cause"
    return "no-root-cause" if end.get("node") == "verdict" else "inconclusive"


def run(args) -> int:
    if args.list:
        return list_journals()
    path = find_journal(args.journal)
    contents = _contents(path)
    if contents.finished:
        causes = ", ".join(_root_causes(contents)) or \
            ("inconclusive" if _outcome(contents) == "inconclusive" else "no root cause")
        raise CliError(f"{path.name} is a finished walk ({clean(causes)}); nothing to resume. "
                       "Start a new one with `edgewiz`.")
    from .interactive import run_interactive

    flags = choose_target(args, path, contents)
    args.profile, args.region, args.endpoint_url = flags.profile, flags.region, flags.endpoint_url
    args.connect_to, args.no_aws, args.lab = flags.connect_to, flags.no_aws, flags.lab
    return run_interactive(args, resume_path=path)


def can_ask() -> bool:
    """A person at a terminal who can answer (not a script, a pipe or CI)."""
    return sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")


def choose_target(args, path: Path, contents: JournalContents, ask=None) -> Flags:
    """The target to resume against: the flags; or, with none given, the journal's routing settings
    only after the user has seen them and said yes (CliError when nobody can say yes)."""
    flags = Flags(profile=args.profile, region=args.region, endpoint_url=args.endpoint_url,
                  connect_to=args.connect_to, no_aws=bool(args.no_aws), lab=getattr(args, "lab", None))
    p = plan(contents.header.get("target") or {}, flags, builtin_lab_names())
    if not p.asks:
        return p.flags
    settings = shown(p.asks)
    if ask is None and not can_ask():
        raise CliError(f"{path.name} was recorded with {settings}; a journal is data, not configuration, so "
                       "resume will not send your credentials or probes where a file says without a yes on a "
                       f"terminal. Pass the target yourself: edgewiz resume {shlex_path(path)} [--profile NAME] "
                       "[--endpoint-url URL] [--connect-to ADDR:PORT] [--lab SCENARIO] [--no-aws]")
    ask = ask or _ask_on_terminal
    if not ask(f"{path.name} was recorded with: {settings}\n"
               "A journal is data: anyone who could write this file chose these. Send your AWS credentials "
               "and probes there?"):
        raise CliError("not resumed. To resume with your own target: edgewiz resume "
                       f"{shlex_path(path)} [--profile NAME] [--endpoint-url URL] [--connect-to ADDR:PORT] [--no-aws]")
    return adopt(p)


def builtin_lab_names() -> List[str]:
    """The built-in scenario names, exactly (a journal's `../x` must not pass as one)."""
    from .. import lab

    return sorted(p.stem for p in (Path(lab.__file__).resolve().parent / "scenarios").glob("*.yaml"))


def shlex_path(path: Path) -> str:
    import shlex

    return shlex.quote(sanitize(str(path)))


def _ask_on_terminal(question: str) -> bool:
    print(sanitize(question))
    try:
        return input("Use them? [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def describe(contents: JournalContents) -> str:
    """One line for --list: time, state, URL, root causes (text from the file is cleaned)."""
    header = contents.header
    started = header.get("started")
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if isinstance(started, (int, float)) else "?"
    url = (header.get("symptom") or {}).get("url", "?")
    if contents.finished and _outcome(contents) == "inconclusive":
        state, tail = "inconclusive", f"ended at {_end(contents).get('node', '?')}: not every part could be checked"
    elif contents.finished:
        causes = _root_causes(contents)
        state, tail = "finished  ", ("root causes: " + ", ".join(causes) if causes else "no root cause")
    else:
        steps = sum(1 for e in contents.events if e.get("type") in ("probes", "answer"))
        state, tail = "unfinished", f"stopped after {steps} step{'s' if steps != 1 else ''}"
    lab = (header.get("target") or {}).get("lab_scenario")
    line = f"{when}  {state}  {url}  {tail}" + (f"  (lab {lab})" if lab else "") + f"  [{contents.path.name}]"
    return sanitize(line)


def list_journals() -> int:
    directory = journals_dir()
    paths = sorted(directory.glob("walk-*.jsonl"), reverse=True) if directory.is_dir() else []
    if not paths:
        print(sanitize(f"No journals in {directory}."))
        return 0
    print(sanitize(f"Journals in {directory} (newest first):"))
    for path in paths:
        if not is_own_journal(path):  # someone else's, or not private: not read, let alone resumed
            print(sanitize(f"?  not yours or not private (ignored)  [{path.name}]"))
            continue
        try:
            print(sanitize(describe(read_journal(path, private=True))))
        except (OSError, ValueError) as exc:
            print(sanitize(f"?  damaged  {exc}  [{path.name}]"))
    return 0
