"""Provides `edgewiz train tui [EXERCISE]` (the training mode of the full-screen wizard: brief, hints,
walk with the verdict held back, answer, check) and `edgewiz train serve` (that TUI in a browser with
textual-serve: one process, so one lab, per connection; loopback unless --public)."""

from __future__ import annotations

import ipaddress
import shlex
import sys

from ..untrusted import sanitize
from .common import CliError, progress

LOOPBACK_NAMES = ("localhost",)


def register(tsub) -> None:
    """Add `tui` and `serve` to `edgewiz train`'s subcommands (called from train_cmd.register)."""
    p = tsub.add_parser("tui", help="an exercise in the full-screen wizard: brief, hints, walk (verdict hidden), "
                                    "answer, check")
    p.add_argument("name", nargs="?", help="an exercise name (see `edgewiz train list`); without it, pick one")
    p.add_argument("--trainee", metavar="NAME", help="the trainee's name, for the attempt record")
    p.set_defaults(func=run_tui)
    p = tsub.add_parser("serve", help="a classroom: serve the training TUI in browsers (one lab per connection)")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--public", action="store_true",
                   help="allow a non-loopback --host: anyone who reaches it gets a lab and a shell-free wizard")
    p.add_argument("--exercise", help="open every connection on this exercise instead of the catalogue")
    p.set_defaults(func=run_serve)
    start = tsub.choices.get("start")
    if start is not None:  # `train start NAME --tui`: the same exercise in the full-screen wizard
        start.add_argument("--tui", action="store_true", help="work in the full-screen wizard (as `train tui NAME`)")
        start.set_defaults(func=_start_or_tui(start.get_default("func")))
    if tsub.metavar:
        tsub.metavar = tsub.metavar.rstrip("}") + ",tui,serve}"


def _start_or_tui(shell_start):
    def run(args) -> int:
        return run_tui(args) if getattr(args, "tui", False) else shell_start(args)

    return run


def _exercise(name):
    from ..training.catalogue import CatalogueError, exercises, find

    try:
        exercises()
        return find(name).name if name else None
    except CatalogueError as exc:
        raise CliError(str(exc)) from None


def run_tui(args) -> int:
    from ..front import Backend, LaunchOptions
    from ..tui.train_app import TrainingApp

    name = _exercise(args.name)
    backend = Backend(LaunchOptions(), progress=progress)
    try:
        app = TrainingApp(backend, exercise=name, trainee=getattr(args, "trainee", None))
        try:
            app.run()
        finally:
            if app.attempt is not None:  # the record's end time, as `train stop` writes it
                app.attempt.end()
        return int(app.return_code or 0)
    finally:
        backend.close()


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_command(exercise=None) -> str:
    """The shell command textual-serve runs for each connection (this Python, this package)."""
    argv = [sys.executable, "-m", "wizard", "train", "tui"] + ([exercise] if exercise else [])
    return shlex.join(argv)


def run_serve(args) -> int:
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be 1-65535, not {args.port}")
    if not is_loopback(args.host):
        if not args.public:
            raise CliError(f"--host {args.host} is not a loopback address: anyone who reaches it gets a lab; "
                           f"add --public if that is what you want")
        print(sanitize(f"edgewiz: warning: serving on {args.host}:{args.port} to anyone who can reach it "
                       f"(no login; each connection starts a lab on this machine)"), file=sys.stderr)
    name = _exercise(args.exercise)
    try:
        from textual_serve.server import Server
    except ModuleNotFoundError:
        raise CliError("`train serve` needs the optional 'classroom' extra (textual-serve): "
                       "pip install 'edgewiz[classroom]'") from None
    Server(serve_command(name), host=args.host, port=args.port, title="edgewiz training").serve()
    return 0
