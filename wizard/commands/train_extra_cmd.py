"""Provides `edgewiz train random` (a drill composed from fault fragments, as a scenario file) and
`edgewiz train report` (a class summary from a folder of attempt records)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..untrusted import sanitize
from .common import CliError


def register_extra(tsub) -> None:
    p = tsub.add_parser("random", help="compose a random drill: K compatible faults on a healthy base",
                        description="Compose K compatible faults onto a healthy base (S3 REST, website or ALB) as a "
                                    "normal scenario file: the same seed gives the same drill. Run it with "
                                    "`edgewiz lab up FILE` or `edgewiz lab run FILE`.")
    p.add_argument("--seed", type=int, default=None, help="the drill's seed (default: a random one, printed)")
    p.add_argument("--faults", type=int, default=2, metavar="K", help="how many faults (1-3, default 2)")
    p.add_argument("--save", metavar="FILE", help="write the scenario to FILE (default: print it)")
    p.set_defaults(func=run_random)
    p = tsub.add_parser("report", help="a class summary from a folder of attempt records")
    p.add_argument("folder", nargs="?", help="a folder of records (default: this machine's records)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.set_defaults(func=run_report)


def run_random(args) -> int:
    from ..training.random_drill import DrillError, compose, render

    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(3), "big")
    try:
        text = render(compose(seed, args.faults))
    except DrillError as exc:
        raise CliError(str(exc)) from None
    if not args.save:
        sys.stdout.write(sanitize(text, redact=False))
        return 0
    path = Path(args.save).expanduser()
    try:
        path.write_text(sanitize(text, redact=False), encoding="utf-8")  # a scenario is a shared file
    except OSError as exc:
        raise CliError(f"cannot write {sanitize(str(path))}: {exc.strerror or exc}") from None
    print(sanitize(f"drill seed {seed}, {args.faults} fault(s): {path}\n"
                   f"start it with: edgewiz lab up {path}   (or check the answer: edgewiz lab run {path})"))
    return 0


def run_report(args) -> int:
    from ..training.records import RecordError, records_dir, load_records, summary_markdown, summary_table

    folder = Path(args.folder).expanduser() if args.folder else records_dir()
    try:
        records = load_records(folder)
    except RecordError as exc:
        raise CliError(str(exc)) from None
    sys.stdout.write(sanitize(summary_markdown(records) if args.markdown else summary_table(records)))
    return 0
