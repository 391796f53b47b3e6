"""Provides `edgewiz sg-refs SG_ID`: everything that references or carries a security group, and what
would lose access if it were detached or deleted (seed 003: look before you detach)."""

from __future__ import annotations

import re
import sys
from typing import List, Set

from ..untrusted import sanitize, to_json
from .common import CliError, make_access, progress

_SG_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")


EXIT_STATUS = """\
exit status:
  0  the group was read; anything that could not be checked is listed as unknown
  2  bad input, or the group itself could not be read (no credentials, expired, denied,
     unreachable): nothing is concluded and stdout stays empty, so a script cannot mistake it
     for "nothing references it".
"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("sg-refs", help="what references a security group, and what detaching it would break",
                       description="List the rules in other groups that name SG_ID, the interfaces, load balancers "
                                   "and ECS services that carry it, and what would lose access without it. "
                                   "Read-only.", epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sg_id", metavar="SG_ID", help="the security group, e.g. sg-0123456789abcdef0")
    p.add_argument("--region", help="the group's region (default: the profile's)")
    p.add_argument("--profile", help="AWS profile (default: the normal credential chain)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..analysis.network.sg_refs import security_group_references
    from ..aws.network import collect_sg_references

    sg_id = str(args.sg_id).strip().lower()
    if not _SG_ID.match(sg_id):
        raise CliError(f"SG_ID must look like sg-0123456789abcdef0 (got {args.sg_id!r})")
    access = make_access(args.profile, args.region)
    progress(f"reading what references {sg_id} in {args.region or access.region}")
    inventory = collect_sg_references(access, sg_id, args.region)
    unread = unread_parts(inventory.unknowns)
    if "groups" in unread:
        # Whether the group exists and which rules name it are the whole answer: say only that the
        # reads failed, and why (the reasons are usually one: credentials).
        from ..untrusted import clean

        reasons = "; ".join(dict.fromkeys(clean(u.reason) for u in inventory.unknowns))
        raise CliError(f"could not read {sg_id} in {inventory.region}: {reasons}")
    refs = security_group_references(inventory, sg_id)
    if args.json:
        out = dict(refs.as_dict(), region=inventory.region, aws_calls=len(access.calls))
        sys.stdout.write(to_json(out, indent=2) + "\n")  # group descriptions are AWS text: cleaned
    else:
        sys.stdout.write(sanitize(render(refs, inventory.region, unread)))
    return 0


# Which part of the answer each read feeds (by the botocore operation the Unknown names).
_PARTS = {"ec2:DescribeSecurityGroups": "groups", "ec2:DescribeNetworkInterfaces": "carriers",
          "elbv2:": "carriers", "ecs:": "carriers"}


def unread_parts(unknowns) -> Set[str]:
    """'groups' when a security-group read failed (the rules that name it are unknown), 'carriers'
    when an interface, load balancer or ECS read failed (what carries it is unknown)."""
    out: Set[str] = set()
    for unknown in unknowns:
        what = str(getattr(unknown, "what", ""))
        out.update(part for prefix, part in _PARTS.items() if what.startswith(prefix))
        if not any(what.startswith(prefix) for prefix in _PARTS):
            out.update(("groups", "carriers"))  # an unexpected failure: conclude nothing from silence
    return out


def render(refs, region: str, unread: Set[str] = frozenset()) -> str:
    """The references as text a person reads (every AWS-provided string cleaned). An empty list is
    said to be empty only when every read behind it succeeded."""
    from ..untrusted import clean

    lines: List[str] = [f"{refs.label} in {region}" + ("" if refs.exists else " (does not exist)")]
    lines.append("")
    if refs.rules:
        lines.append(f"Rules in other groups that name it ({len(refs.rules)}):")
        lines += [f"  - {r.describe()}" + (f"  [{r.description}]" if r.description else "") for r in refs.rules]
    elif "groups" in unread:
        lines.append("Rules in other groups that name it: could not check (see below).")
    else:
        lines.append("No rule in another group names it.")
    carriers = ([f"load balancer {n}" for n in refs.load_balancers] + [f"ECS service {n}" for n in refs.ecs_services]
                + [f"{e['id']} ({e['description'] or e['private_ip'] or 'interface'})" for e in refs.network_interfaces])
    lines.append("")
    if carriers:
        lines.append(f"Attached to ({len(carriers)}):" + (" (and possibly more: see below)" if "carriers" in unread else ""))
        lines += [f"  - {c}" for c in carriers]
    elif "carriers" in unread:
        lines.append("What carries it: could not check everything (see below).")
    else:
        lines.append("Attached to nothing this scan can see.")
    if refs.if_removed:
        lines += ["", "If it were detached or deleted:"]
        lines += [f"  - {s}" for s in refs.if_removed]
    if refs.unknowns:
        lines += ["", "Could not check (unknown, not ok):"]
        lines += [f"  - {u.what}: {u.reason}" for u in refs.unknowns]
    return sanitize("\n".join(line.replace("\n", " ") for line in lines)) + "\n"
