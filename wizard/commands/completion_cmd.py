"""Provides `edgewiz completion bash|zsh|fish`: a shell completion script generated from the command
line parser itself (by shtab), so it cannot drift from the real flags and commands."""

from __future__ import annotations

from ..untrusted import sanitize

import sys

SHELLS = ("bash", "zsh", "fish")
HOW = """\
install it once:
  bash:  edgewiz completion bash > ~/.local/share/bash-completion/completions/edgewiz
  zsh:   edgewiz completion zsh > "${fpath[1]}/_edgewiz"   (then: compinit)
  fish:  edgewiz completion fish > ~/.config/fish/completions/edgewiz.fish"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh or fish)",
                       description="Print the completion script for SHELL on stdout.", epilog=HOW,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(func=run)


def run(args) -> int:
    import shtab  # here, not at the top: only this command pays for it

    from ..cli import build_parser

    sys.stdout.write(sanitize(shtab.complete(build_parser(), shell=args.shell)))  # one cleaning path for every output
    return 0
