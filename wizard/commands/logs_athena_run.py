"""Provides `edgewiz logs --athena-run`: the explicit opt-in that runs the Athena table DDL and the
triage queries over the logs' S3 location and shows the same triage summary from Athena's results.

It is the one path on which edgewiz sends an AWS call that is not a read (Athena writes results to
the --athena-output location the user names), so it asks for that location instead of guessing one.
"""

from __future__ import annotations

import datetime
import sys
from ..untrusted import to_json
from .common import CliError, make_access, progress


def _kind(args, prefix: str) -> str:
    # ALB writes under AWSLogs/ACCOUNT/elasticloadbalancing/REGION/; CloudFront has no fixed layout.
    if args.kind:
        return args.kind
    return "alb" if "elasticloadbalancing" in prefix else "cloudfront"


def run_athena(args, now: datetime.datetime) -> int:
    """Run the statements, then print the triage (text or --json) built from their result rows."""
    from ..analysis.logs.athena_queries import ALB_TABLE, CLOUDFRONT_TABLE, bucket_name
    from ..analysis.logs.athena_summary import summary_from_rows, summary_plan
    from ..aws.athena_run import AthenaRunFailed, run_statements
    from . import logs_cmd
    from .logs_cmd import split_s3

    if args.location:
        bucket, prefix = split_s3(args.location)
    elif args.source.startswith("s3://"):
        bucket, prefix = split_s3(args.source)
    else:
        raise CliError("--athena-run needs the logs' S3 location: give s3://bucket/prefix as the source, "
                       "or --location s3://bucket/prefix")
    if not args.athena_output:
        raise CliError("--athena-run needs --athena-output s3://bucket/prefix/: Athena writes the query "
                       "results there (edgewiz names no location for you)")
    out_bucket, _ = split_s3(args.athena_output)
    kind = _kind(args, prefix)
    start = now - datetime.timedelta(hours=args.hours)
    try:
        bucket_name(out_bucket)
        plan = summary_plan(kind, bucket, prefix, start, now, args.table, args.database)
    except ValueError as exc:
        raise CliError(f"cannot write the Athena SQL: {exc}") from None
    statements = [("create-table", plan.ddl)] + [(q.name, q.sql) for q in plan.queries]
    access = make_access(args.profile, args.region)
    progress(f"running {len(statements)} Athena statements over s3://{bucket}/{prefix} (last {args.hours} h); "
             f"results go to {args.athena_output}")
    try:
        rows = run_statements(access, statements, args.database, args.athena_output, args.workgroup, progress)
    except AthenaRunFailed as exc:
        raise CliError(str(exc)) from None
    summary = summary_from_rows(kind, rows)
    table = args.table or (ALB_TABLE if kind == "alb" else CLOUDFRONT_TABLE)
    summary.notes.append(f"Counted by Athena over s3://{bucket}/{prefix} ({args.database}.{table}); "
                         f"query results were written to {args.athena_output}.")
    if args.json:
        out = summary.as_dict()
        out["athena_output"] = args.athena_output
        sys.stdout.write(to_json(out, indent=2) + "\n")
    else:
        sys.stdout.write(logs_cmd.render(summary, None))  # cleaned by render, as for a local triage
    return 0
