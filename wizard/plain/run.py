"""Provides run_plain(): plain mode from start to verdict — the lab when asked for, the intake (or
a journal to resume), the walk, the report — with Ctrl-C ending cleanly and saying how to resume."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Optional

from ..commands.common import CliError
from ..report import text_report
from ..walk_session import WalkSession, open_journal
from .intake import ask_intake
from .output import Output
from .end_menu import EndMenu
from .prompts import Cancelled, Prompter
from .walk import PlainWalk


def run_plain(backend, resume_path: Optional[Path] = None, *, interactive: Optional[bool] = None,
              stream: Optional[IO[str]] = None, numbered: bool = False, pause: bool = False,
              stdin: Optional[IO[str]] = None) -> int:
    """Walk the playbook with prompts and print the verdict; returns the exit status.

    `interactive` says whether a person can answer (default: stdin is a terminal); when not, every
    question takes its default and the output says so. `numbered` asks with numbered choices typed
    as lines instead of arrow-key menus (for a dumb terminal). `stream` defaults to stdout.
    `pause` (a person at a terminal, no --no-pause) waits for Enter before each next step and offers
    copy / export / re-check / quit after the verdict; `stdin` is where Enter and typed lines come
    from (default sys.stdin).
    """
    out = Output(stream or sys.stdout)
    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    prompter = Prompter(interactive, out.say, numbered=numbered, write=out.write, stdin=stdin)
    pause = pause and interactive
    session: Optional[WalkSession] = None
    journal: Optional[Path] = Path(resume_path) if resume_path is not None else None
    try:
        if resume_path is not None:
            session = _resume(backend, Path(resume_path), out)
            walk = PlainWalk(session, prompter, out, pause=pause)
            walk.show_replayed()
        else:
            _start_lab(backend, out)
            intake = ask_intake(prompter, out, backend.prefill(), on_lab=backend.lab_env is not None)
            backend.options.profile = intake.profile
            backend.options.region = intake.region
            session = backend.new_session(intake.symptom)
            journal = session.journal.path
            out.redactor = session.redactor
            out.say(f"Journal: {session.journal.path}")
            walk = PlainWalk(session, prompter, out, pause=pause)
        diagnosis = walk.run()
    except (Cancelled, KeyboardInterrupt):
        if session is not None and session.runner is not None:
            session.runner.cancelled.set()  # probes not yet started are skipped, not waited for
        out.say("")
        if journal is None:
            out.say("Cancelled before the walk started: nothing was saved.")
        else:
            out.say(f"Stopped. Every finished step is saved in {journal}")
            out.say("Continue where you left off with: edgewiz resume")
        return 130
    out.say("")
    out.write(text_report.render(diagnosis, redactor=session.redactor, width=out.width))
    out.say(f"Journal: {session.journal.path}")
    if pause:
        try:
            EndMenu(backend, session, diagnosis, prompter, out).run()
        except (Cancelled, KeyboardInterrupt):
            out.say("")  # the verdict is printed and journaled: quitting here loses nothing
    return 0


def _start_lab(backend, out: Output) -> None:
    if not backend.options.lab or backend.lab_env is not None:
        return
    from ..lab.scenario import ScenarioError

    out.say(f"Starting the lab scenario {backend.options.lab} (a few seconds)…")
    backend.progress = lambda message: out.say(f"   … {message}")  # lines said so far, then each as it comes
    try:
        backend.start_lab()
    except ScenarioError as exc:
        raise CliError(str(exc)) from None


def _resume(backend, path: Path, out: Output) -> WalkSession:
    try:
        contents = open_journal(path)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    lab = (contents.header.get("target") or {}).get("lab_scenario")
    out.say(f"Resuming the walk in {path}")
    out.say(f"   URL: {(contents.header.get('symptom') or {}).get('url', '?')}")
    if contents.torn:
        out.say("   The last line was cut off by the interruption; that step will run again.")
    if lab:
        out.say(f"Restarting the lab scenario {lab} (a few seconds)…")
    try:
        session = backend.resume_session(path)
    except ValueError as exc:  # a journal from another version of the playbook
        raise CliError(f"{path} cannot be resumed: {exc}") from None
    out.redactor = session.redactor
    return session
