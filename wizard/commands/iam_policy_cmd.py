"""Provides `edgewiz iam-policy`: prints the least-privilege IAM policy that covers every AWS read the
probes can make (derived from the probe catalogue, so it cannot drift from what edgewiz sends)."""

from __future__ import annotations

import sys

from ..untrusted import sanitize, to_json


def register(sub) -> None:
    p = sub.add_parser(
        "iam-policy",
        help="print the least-privilege IAM policy edgewiz needs (read-only)",
        description="Print the IAM identity policy that allows every read the probes can make and nothing "
                    "else. Attach it to the role you run edgewiz with (docs/security.md).",
    )
    p.add_argument("--compact", action="store_true",
                   help="one line, for --policy-document \"$(edgewiz iam-policy --compact)\"")
    p.add_argument("--explain", action="store_true",
                   help="list each IAM action with the botocore operations that need it, instead of the JSON")
    p.add_argument("--with-athena", nargs="?", const="", metavar="s3://RESULTS-BUCKET/PREFIX/",
                   help="also allow `edgewiz logs --athena-run` (Athena, Glue, and s3:PutObject on the query "
                        "results location, when given): the only non-read edgewiz sends, and only when asked")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..aws.iam_policy import athena_statements, least_privilege_policy, operations_by_action

    athena = getattr(args, "with_athena", None)
    if args.explain:
        for action, operations in sorted(operations_by_action().items()):
            sys.stdout.write(sanitize(f"{action:<52} {', '.join(operations)}") + "\n")
        if athena is not None:
            for statement in athena_statements(athena):
                for action in statement["Action"]:
                    sys.stdout.write(sanitize(f"{action:<52} logs --athena-run (opt-in)") + "\n")
        return 0
    policy = least_privilege_policy()
    if athena is not None:
        policy["Statement"] = list(policy["Statement"]) + athena_statements(athena)
    if args.compact:
        sys.stdout.write(to_json(policy, separators=(",", ":")) + "\n")
    else:
        sys.stdout.write(to_json(policy, indent=2) + "\n")
    return 0
