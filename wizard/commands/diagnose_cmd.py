"""Provides `edgewiz diagnose URL`: one non-interactive walk against real AWS (or any endpoint)."""

from __future__ import annotations

import os
import sys

from ..request_method import METHODS, method_field
from . import svg_out
from .common import check_url, make_access, make_http, origin_of, parse_connect_to, progress


def register(sub) -> None:
    p = sub.add_parser("diagnose", help="diagnose a failing URL (read-only AWS calls and HTTP probes)",
                       description="Walk the playbook for URL and print every root cause found, with the fix.")
    p.add_argument("url", help="the failing URL, e.g. https://d111111abcdef8.cloudfront.net/assets/app.js")
    p.add_argument("--origin", help="the page origin that loads it (for CORS), e.g. https://app.example.com")
    p.add_argument("--page", help="the page URL whose HTML loads the asset (finds the asset host)")
    p.add_argument("--saw", choices=["403", "cors", "504"], help="what the browser shows")
    p.add_argument("--method", choices=METHODS, type=str.upper,
                   help="the failing request's method, when not GET (edgewiz still sends only GET/HEAD/OPTIONS)")
    p.add_argument("--profile", help="AWS profile (default: the normal credential chain)")
    p.add_argument("--region", help="AWS region of the origin's resources")
    p.add_argument("--json", action="store_true", help="print the JSON report (docs/json-output.md)")
    p.add_argument("--graph", action="store_true",
                   help="print the traffic path as a diagram (hops, security groups, network ACLs) before the report")
    svg_out.add_option(p)
    p.add_argument("--connect-to", default=os.environ.get("EDGEWIZ_CONNECT_TO"),
                   help="send HTTP probes to ADDR:PORT (or HOST=ADDR:PORT,...) keeping the Host header")
    p.add_argument("--no-aws", action="store_true", help="HTTP probes only; AWS layers are reported unknown")
    p.add_argument("--timeout", type=_seconds, default=os.environ.get("EDGEWIZ_TIMEOUT") or "60", metavar="SECONDS",
                   help="stop the whole diagnosis after SECONDS (default 60, or $EDGEWIZ_TIMEOUT); AWS calls get "
                        "shorter timeouts and fewer retries as time runs out, and reads that ran out of time are "
                        "reported as unknown")
    p.set_defaults(func=run)


def _seconds(value: str) -> float:
    """A positive number of seconds (argparse reports anything else as a one-line error, exit 2)."""
    import argparse
    import math

    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(f"wants a positive number of seconds (got {value!r})")
    return seconds


def run(args) -> int:
    from ..deadline import Deadline
    from ..diagnose import diagnose
    from ..engine.facts import Symptom
    from ..playbooks import load
    from ..probes.runner import ProbeRunner
    from ..report import json_report, text_report

    url = check_url(args.url)
    svg = svg_out.check(getattr(args, "svg", None))
    page = check_url(args.page, "--page") if args.page else None
    page_origin = origin_of(args.origin) or origin_of(page, "--page")
    symptom = Symptom(url=url, page_origin=page_origin, page_url=page, complaint=args.saw,
                      method=method_field(getattr(args, "method", None)))
    playbooks = load()
    access = None if args.no_aws else make_access(args.profile, args.region)
    deadline = Deadline(args.timeout)
    if access is not None:
        access.set_deadline(deadline)
    runner = ProbeRunner(access, make_http(parse_connect_to(args.connect_to)), deadline=deadline)
    progress(f"diagnosing {url}")
    try:
        diagnosis = diagnose(playbooks, symptom, runner)
    finally:
        runner.close()
    if args.graph and not args.json:
        from ..untrusted import sanitize

        sys.stdout.write(sanitize(graph_block(diagnosis)))  # labels come from AWS
    sys.stdout.write(json_report.render(diagnosis) + "\n" if args.json else text_report.render(diagnosis))
    svg_out.write(diagnosis, svg)
    return 0


def graph_block(diagnosis) -> str:
    """The path diagram for `--graph`, as wide as the terminal (80 when unknown), cleaned for it."""
    import shutil

    from ..report import graph_text

    width = min(120, shutil.get_terminal_size((80, 24)).columns)
    return graph_text.render(diagnosis.graph, width) + "\n"
