"""Provides the interactive entry: `edgewiz`, `edgewiz --lab NAME`, `edgewiz --plain`, and the skin
choice (the full-screen app when the terminal can host it, plain prompts otherwise)."""

from __future__ import annotations

import os
import sys

from ..front import Backend, LaunchOptions
from .common import parse_connect_to, progress


def _is_terminal(stream) -> bool:
    # A closed stream (`<&-`) is None or has no descriptor: it is no terminal.
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def dumb_terminal() -> bool:
    """TERM=dumb or no TERM: no cursor movement, no attributes, so no arrow-key menus either."""
    return os.environ.get("TERM", "") in ("dumb", "")


def terminal_can_host_app() -> bool:
    """A full-screen app needs an interactive terminal that is not 'dumb'."""
    return _is_terminal(sys.stdin) and _is_terminal(sys.stdout) and not dumb_terminal()


def run_interactive(args, resume_path=None) -> int:
    # resume passes its target through these (flags, never the journal's own settings unconfirmed).
    options = LaunchOptions(lab=getattr(args, "lab", None), profile=getattr(args, "profile", None),
                            region=getattr(args, "region", None), connect_to=getattr(args, "connect_to", None),
                            no_aws=bool(getattr(args, "no_aws", False)),
                            endpoint_url=getattr(args, "endpoint_url", None),
                            reuse_running_lab=resume_path is not None)
    # A bad --connect-to / $EDGEWIZ_CONNECT_TO is a one-line error now, not a failure mid-walk.
    if not options.lab:  # on a lab the route is the lab's own
        parse_connect_to(options.connect_to or os.environ.get("EDGEWIZ_CONNECT_TO"))
    backend = Backend(options, progress=progress)
    plain = getattr(args, "plain", False) or not terminal_can_host_app()
    try:
        if plain:
            backend.begin_lab()  # builds while questionary loads; plain mode prints its steps
            from ..plain import run_plain

            return run_plain(backend, resume_path=resume_path, interactive=_is_terminal(sys.stdin),
                             numbered=dumb_terminal(), pause=not getattr(args, "no_pause", False))
        # The app's intake begins the build right after its first frame, not here: the build runs
        # in this process, and moto's imports holding the GIL beside Textual's start-up doubled the
        # time to the first frame (bench/first_frame.py). The form is usable either way.
        from ..tui import run_app

        return run_app(backend, resume_path=resume_path)
    finally:
        backend.close()
