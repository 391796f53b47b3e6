"""Provides main(): the `edgewiz` command. Thin: parse, dispatch, and turn every failure into one
line that says what to do next (exit 2), never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from . import __version__
from .commands import diagnose_cmd, lab_cmd
from .commands import iam_policy_cmd
from .commands import resume_cmd
from .commands import sg_refs_cmd
from .commands import logs_cmd
from .commands.common import CliError
from .untrusted import sanitize

COMMANDS = [diagnose_cmd, lab_cmd, iam_policy_cmd, resume_cmd, sg_refs_cmd, logs_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgewiz",
        description="A troubleshooting wizard for AWS edge incidents: CloudFront 403 vs CORS vs 504.",
    )
    parser.add_argument("--version", action="version", version=f"edgewiz {__version__}")
    parser.add_argument("--lab", metavar="SCENARIO", help="open the wizard on a lab scenario (no AWS account needed)")
    parser.add_argument("--plain", action="store_true",
                        help="plain prompts instead of the full-screen app (automatic when the terminal cannot host it)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def interactive(args) -> int:
    """`edgewiz` with no command: the wizard (Textual app, or plain prompts)."""
    from .commands.interactive import run_interactive

    return run_interactive(args)


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args.func = interactive
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(sanitize(f"edgewiz: {exc}"), file=sys.stderr)  # errors quote URLs and files: one cleaning path
        return 2
    except KeyboardInterrupt:
        print("edgewiz: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, and where to look
        if os.environ.get("EDGEWIZ_DEBUG"):
            raise
        from .engine.errors import FlowError

        if isinstance(exc, FlowError):
            print(sanitize(f"edgewiz: a playbook is invalid: {exc}"), file=sys.stderr)
        else:
            print(sanitize(f"edgewiz: unexpected {type(exc).__name__}: {exc} (run with EDGEWIZ_DEBUG=1 for details)"),
                  file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
