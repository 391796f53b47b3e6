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
from .commands import completion_cmd
from .commands import train_cmd
from .commands.common import CliError
from .untrusted import sanitize

COMMANDS = [diagnose_cmd, lab_cmd, iam_policy_cmd, resume_cmd, sg_refs_cmd, logs_cmd, completion_cmd, train_cmd]

EXIT_STATUS = """\
exit status:
  0    the run completed, whatever it found (a diagnosis with root causes is still 0)
  1    an internal error (the message says where to look; EDGEWIZ_DEBUG=1 shows the traceback)
  2    bad input, or an environment edgewiz cannot use: an unknown profile, a missing extra, or
       (sg-refs) a security group that could not be read at all (no credentials, denied, unreachable)
  130  interrupted (Ctrl-C); an interactive walk can be continued with `edgewiz resume`"""


class VersionAction(argparse.Action):
    """`--version`: what a bug report needs (edgewiz, Python, and the libraries that talk to AWS and
    draw the screen), read from installed metadata only when asked, so start-up does not pay for it."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        sys.stdout.write(sanitize(version_text()))  # paths and versions come from the machine
        parser.exit()


def version_text() -> str:
    """edgewiz's version, the interpreter's, and its key dependencies' (or 'not installed')."""
    import platform
    from importlib import metadata

    def installed(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    libraries = ", ".join(f"{name} {installed(name)}" for name in ("boto3", "botocore", "textual", "questionary"))
    return (f"edgewiz {__version__}\n"
            f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.executable})\n"
            f"{libraries}\n"
            f"lab extra: moto {installed('moto')}\n"
            f"platform: {platform.platform(terse=True)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgewiz",
        description="A troubleshooting wizard for AWS edge incidents: CloudFront 403 vs CORS vs 504.",
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction,
                        help="print the versions of edgewiz, Python, boto3/botocore and textual, and exit")
    parser.add_argument("--lab", metavar="SCENARIO", help="open the wizard on a lab scenario (no AWS account needed)")
    parser.add_argument("--plain", action="store_true",
                        help="plain prompts instead of the full-screen app (automatic when the terminal cannot host it)")
    parser.add_argument("--no-pause", "--yes", dest="no_pause", action="store_true",
                        help="plain mode: do not wait for Enter between steps nor offer the end menu (for scripts)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def interactive(args) -> int:
    """`edgewiz` with no command: the wizard (Textual app, or plain prompts)."""
    from .commands.interactive import run_interactive

    return run_interactive(args)


def reopen_closed_std_streams() -> None:
    """Give a closed stdin/stdout/stderr (`<&-`, as some schedulers start jobs) /dev/null instead.

    Python leaves sys.stdin None then, and the lowest free descriptor (0) would go to the next file
    or socket opened, which a child process would then read as its input. On /dev/null, stdin reads
    as empty: nobody can answer a question, exactly as with `</dev/null`.
    """
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDONLY if mode == "r" else os.O_WRONLY)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
        setattr(sys, name, open(fd, mode, encoding="utf-8", errors="replace", closefd=False))


def main(argv: Optional[List[str]] = None) -> int:
    reopen_closed_std_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        args.func = interactive
    try:
        if getattr(args, "lab", None) or getattr(args, "lab_command", None) in ("run", "up") \
                or getattr(args, "train_command", None) in ("start", "check", "tui"):
            require_lab_extra()
        return int(args.func(args) or 0)
    except CliError as exc:
        print(sanitize(f"edgewiz: {exc}"), file=sys.stderr)  # errors quote URLs and files: one cleaning path
        return 2
    except KeyboardInterrupt:
        print("edgewiz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`edgewiz train list | head`): stop quietly, as Unix tools do. stdout
        # points at /dev/null from here so the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # the last line of defence: one line, and where to look
        if os.environ.get("EDGEWIZ_DEBUG"):
            raise
        from .engine.errors import FlowError, PlaybookMissing

        if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in LAB_MODULES:
            print(sanitize(f"edgewiz: {lab_extra_message(exc.name)}"), file=sys.stderr)
            return 2
        if isinstance(exc, PlaybookMissing):
            print(sanitize(f"edgewiz: a playbook is missing: {exc}. This copy of edgewiz is incomplete: reinstall it "
                           "(or point EDGEWIZ_FLOWS at a folder holding edge.yaml and findings.yaml)."), file=sys.stderr)
        elif isinstance(exc, FlowError):
            print(sanitize(f"edgewiz: a playbook is invalid: {exc}"), file=sys.stderr)
        else:
            print(sanitize(f"edgewiz: unexpected {type(exc).__name__}: {exc} (run with EDGEWIZ_DEBUG=1 for details)"),
                  file=sys.stderr)
        return 1


# What the `lab` extra brings (moto[server] and the web stack its server mode runs on).
LAB_MODULES = ("moto", "flask", "flask_cors", "werkzeug")


def require_lab_extra() -> None:
    """CliError naming the extra to install when the lab's modules are absent (checked without
    importing them: moto takes seconds to import)."""
    from importlib.util import find_spec

    for module in LAB_MODULES:
        try:
            found = find_spec(module) is not None
        except (ImportError, ValueError):  # a broken or blocked install counts as absent
            found = False
        if not found:
            raise CliError(lab_extra_message(module))


def lab_extra_message(module: Optional[str]) -> str:
    """What to run to get the lab, for pipx and for pip users, with the pinned moto version."""
    requirement = "moto[server]"
    try:
        from importlib import metadata

        for req in metadata.requires("edgewiz") or []:
            if req.startswith("moto") and "extra" in req and "lab" in req:
                requirement = req.split(";")[0].strip()
    except Exception:  # noqa: BLE001 - a source checkout without metadata: the unpinned name will do
        pass
    return (f"the lab needs the optional 'lab' extra ({module or 'moto'} is not installed). "
            f"With pipx: pipx inject edgewiz '{requirement}'. "
            f"With pip: pip install 'edgewiz[lab]' (in a checkout: pip install -e '.[lab]').")


if __name__ == "__main__":
    sys.exit(main())
