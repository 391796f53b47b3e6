"""Provides the interactive entry: `edgewiz`, `edgewiz --lab NAME`, `edgewiz --plain`, and the skin
choice (the full-screen app when the terminal can host it, plain prompts otherwise)."""

from __future__ import annotations

import os
import sys

from ..front import Backend, LaunchOptions
from .common import progress


def terminal_can_host_app() -> bool:
    """A full-screen app needs an interactive terminal that is not 'dumb'."""
    return sys.stdin.isatty() and sys.stdout.isatty() and os.environ.get("TERM", "dumb") not in ("dumb", "")


def run_interactive(args, resume_path=None) -> int:
    # resume passes its target through these (flags, never the journal's own settings unconfirmed).
    options = LaunchOptions(lab=getattr(args, "lab", None), profile=getattr(args, "profile", None),
                            region=getattr(args, "region", None), connect_to=getattr(args, "connect_to", None),
                            no_aws=bool(getattr(args, "no_aws", False)),
                            endpoint_url=getattr(args, "endpoint_url", None))
    backend = Backend(options, progress=progress)
    plain = getattr(args, "plain", False) or not terminal_can_host_app()
    try:
        if plain:
            from ..plain import run_plain

            return run_plain(backend, resume_path=resume_path)
        from ..tui import run_app

        return run_app(backend, resume_path=resume_path)
    finally:
        backend.close()
