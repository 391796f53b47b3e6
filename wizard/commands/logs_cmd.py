"""Provides `edgewiz logs PATH|s3://bucket/prefix`: triage CloudFront or ALB access logs (a file, a .gz,
a directory, or the logging bucket) and, with --athena, the Athena SQL for logs too large to pull.

With --athena the Athena statements are printed, not run: running them costs money and needs the
user's own decision, so the `aws athena start-query-execution` commands are printed with them.
--athena-run is that decision, made explicitly (logs_athena_run).
"""

from __future__ import annotations

import datetime
import os
import sys
from typing import List, Optional, Tuple

from ..untrusted import sanitize, to_json
from .common import CliError, make_access, progress

DEFAULT_MAX_MB = 64
DEFAULT_HOURS = 24
_RESULTS_PLACEHOLDER = "s3://<athena-query-results-bucket>/edgewiz/"


def register(sub) -> None:
    p = sub.add_parser("logs", help="triage CloudFront / ALB access logs (local files or the logging bucket)",
                       description="Count origin errors, ~10 s connect timeouts and ALB 504s without a target "
                                   "response in access logs. Reads a file, a .gz, a directory, or s3://bucket/prefix "
                                   "(read-only). In CloudFront logs c-ip is the viewer, not an edge.")
    p.add_argument("source", metavar="PATH|s3://bucket/prefix", help="a log file, .gz, directory, or S3 location")
    p.add_argument("--kind", choices=["cloudfront", "alb"], help="the log format (default: read from the first line)")
    p.add_argument("--hours", type=int, default=DEFAULT_HOURS,
                   help=f"S3 only: read objects written in the last HOURS hours (default {DEFAULT_HOURS}); "
                        "also the Athena queries' time window")
    p.add_argument("--max-mb", type=int, default=DEFAULT_MAX_MB,
                   help=f"S3 only: stop after downloading this many MiB (default {DEFAULT_MAX_MB})")
    p.add_argument("--profile", help="AWS profile (S3 sources)")
    p.add_argument("--region", help="AWS region (S3 sources)")
    p.add_argument("--athena", action="store_true",
                   help="also print the Athena table DDL and triage queries for the logs' S3 location (not run)")
    p.add_argument("--location", metavar="s3://bucket/prefix",
                   help="the logs' S3 location for --athena when PATH is local (for ALB: the folder that holds "
                        "the yyyy/mm/dd folders)")
    p.add_argument("--database", default="default", help="Athena database for --athena (default: default)")
    p.add_argument("--table", help="Athena table name for --athena (default: cloudfront_standard_logs / "
                                   "alb_access_logs)")
    p.add_argument("--output-location", default=_RESULTS_PLACEHOLDER,
                   help="Athena query results location, used in the printed commands")
    p.add_argument("--athena-run", action="store_true",
                   help="run the Athena table DDL and triage queries and show the triage from their results. "
                        "Opt-in: the only AWS call edgewiz sends that is not a read (Athena writes the results "
                        "to --athena-output, and creates the table once); needs edgewiz iam-policy --with-athena")
    p.add_argument("--athena-output", metavar="s3://bucket/prefix/",
                   help="where Athena writes the query results for --athena-run (required with it)")
    p.add_argument("--workgroup", help="Athena workgroup for --athena-run (default: the account's primary)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def split_s3(url: str) -> Tuple[str, str]:
    """(bucket, prefix) of s3://bucket/prefix, or a CliError."""
    rest = url[len("s3://"):] if url.startswith("s3://") else ""
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise CliError(f"an S3 location looks like s3://bucket/prefix (got {url!r})")
    return bucket, prefix


def run(args) -> int:
    from ..analysis.logs.log_triage import triage_lines
    from ..logsource import NotALogFile

    if args.hours <= 0 or args.max_mb <= 0:
        raise CliError("--hours and --max-mb must be positive")
    now = datetime.datetime.now(datetime.timezone.utc)
    location: Optional[Tuple[str, str]] = None
    if args.athena_run:
        from .logs_athena_run import run_athena

        return run_athena(args, now)
    if args.source.startswith("s3://"):
        from ..aws.log_bucket import iter_log_lines

        location = split_s3(args.source)
        access = make_access(args.profile, args.region)
        progress(f"reading the newest logs under {args.source} (last {args.hours} h, at most {args.max_mb} MiB)")
        lines = iter_log_lines(access, location[0], location[1], args.max_mb * 1024 * 1024,
                               since=now - datetime.timedelta(hours=args.hours))
        summary = triage_lines(lines, args.kind)
        summary.notes.extend(n for n in lines.notes if n not in summary.notes)
    else:
        if not os.path.exists(args.source):
            raise CliError(f"{args.source}: no such file or directory (for S3, write s3://bucket/prefix)")
        try:
            summary = triage_local(args.source, args.kind)
        except NotALogFile as exc:
            raise CliError(str(exc)) from None
    if args.location:
        location = split_s3(args.location)
    athena = None
    if args.athena:
        if location is None:
            raise CliError("--athena needs the logs' S3 location: give s3://bucket/prefix as the source, "
                           "or --location s3://bucket/prefix")
        athena = athena_text(args.kind or summary.kind, location, now - datetime.timedelta(hours=args.hours), now,
                             args.database, args.table, args.output_location)
    if args.json:
        out = summary.as_dict()
        if athena is not None:
            out["athena"] = athena
        sys.stdout.write(to_json(out, indent=2) + "\n")  # log fields are attacker-shaped: cleaned like diagnose --json
    else:
        sys.stdout.write(render(summary, athena))
    return 0


def triage_local(path: str, kind: Optional[str] = None):
    """The LogSummary of a local file, .gz or directory: what triage_lines(open_lines(path)) gives.

    CloudFront logs (named, or recognised from the first line) are counted a block of lines at a
    time by cloudfront_fast, large files by cloudfront_columnar (pyarrow) when edgewiz[fast-logs] is
    installed; ALB and unrecognised logs go line by line through triage_lines.
    """
    from ..analysis.logs.log_triage import detect_kind, triage_lines
    from ..analysis.logs.cloudfront_fast import lines_of
    from ..logsource import open_lines

    source = open_lines(path)
    detected = kind
    if detected is None:
        peek = open_lines(path).blocks()  # the first line that says something, then closed
        for block in peek:
            line = next((text for text in lines_of(block) if text.strip()), None)
            if line is not None:
                detected = detect_kind(line.lstrip())
                break
        peek.close()
    if detected == "cloudfront":
        from ..analysis.logs.cloudfront_columnar import columnar_counter
        from ..analysis.logs.cloudfront_fast import FastCloudFrontTriage

        fast = FastCloudFrontTriage()
        # Large files go through pyarrow when it is installed (edgewiz[fast-logs]); the rest, and
        # any file it cannot count exactly as the block counter would, as blocks.
        for block in source.blocks(columnar_counter(fast)):
            fast.add_block(block)
        summary = fast.summary()
    else:
        everything = source.blocks()
        summary = triage_lines((line for block in everything for line in lines_of(block)), kind)
    summary.notes.extend(source.notes)
    return summary


def athena_text(kind: str, location: Tuple[str, str], start: datetime.datetime, end: datetime.datetime,
                database: str, table: Optional[str], output_location: str) -> str:
    """The Athena script (DDL + queries) and the commands that would run each statement."""
    from ..analysis.logs import athena_queries as aq

    bucket, prefix = location
    try:
        if kind == "alb":
            plan = aq.alb_plan(bucket, prefix, start, end, table or aq.ALB_TABLE, database)
        else:
            plan = aq.cloudfront_plan(bucket, prefix, start, end, table or aq.CLOUDFRONT_TABLE, database)
        aq.ident(database)
    except ValueError as exc:
        raise CliError(f"cannot write the Athena SQL: {exc}") from None
    statements = [plan.ddl] + [q.sql for q in plan.queries]
    names = ["create-table"] + [q.name for q in plan.queries]
    lines: List[str] = [plan.text().rstrip(), "",
                        "-- Not run: Athena bills per byte scanned, so running these is your call.",
                        "-- Save statement N (without its `-- N.` comment) as edgewiz-athena-N-NAME.sql, then:"]
    for i, name in enumerate(names, start=1):
        lines.append(f"--   aws athena start-query-execution --work-group primary "
                     f"--query-execution-context Database={database} "
                     f"--result-configuration OutputLocation={output_location} "
                     f"--query-string file://edgewiz-athena-{i}-{name.replace('_', '-')}.sql")
    lines.append(f"-- ({len(statements)} statements; read results with aws athena get-query-results "
                 "--query-execution-id <id>.)")
    return "\n".join(lines) + "\n"


def render(summary, athena: Optional[str]) -> str:
    """The triage as text: the headline, the evidence, then the Athena script when asked for."""
    head, *evidence = summary.lines()
    lines = [f"{'CloudFront' if summary.kind == 'cloudfront' else 'ALB'} access logs: {head}"]
    lines += [f"  - {line}" for line in evidence]
    text = "\n".join(line.replace("\n", " ") for line in lines) + "\n"
    if athena:
        text += "\n" + athena
    return sanitize(text)
