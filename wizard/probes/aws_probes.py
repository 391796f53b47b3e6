"""Provides the AWS probes: thin adapters from ProbeContext to the readers in wizard.aws."""

from __future__ import annotations

import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional

from ..aws import cloudfront, ecs, organizations, s3
from .context import ProbeContext, ProbeIncomplete, ProbeSkip


def identity(ctx: ProbeContext) -> Dict[str, Any]:
    ident = ctx.need_aws().client("sts").get_caller_identity()
    return {"account": ident.get("Account"), "arn": ident.get("Arn")}


def distribution(ctx: ProbeContext) -> Dict[str, Any]:
    # Custom origin names: which load balancer they are (Route 53), read alongside the configuration.
    return cloudfront.find_distribution(ctx.need_aws(), ctx.facts.symptom.host, resolve_origins=True)


def _dist(ctx: ProbeContext):
    dist = ctx.facts.distribution
    if not dist:
        raise ProbeSkip("no distribution found")
    return dist


def ecs_env(ctx: ProbeContext) -> Dict[str, Any]:
    from .ecs_evidence import load_balancers_in_evidence

    dist = _dist(ctx)
    aws = ctx.need_aws()
    lbs = load_balancers_in_evidence(ctx, aws)
    if not lbs:
        # No scan of every cluster and service: without a load balancer to follow, ask instead.
        raise ProbeSkip("no load balancer in the evidence leads to an ECS service (give the page URL, --page, "
                        "if the app is behind an ALB): edgewiz does not scan every cluster")
    found = ecs.env_mentions(aws, [dist.domain] + list(dist.aliases), lbs)
    if found.get("cut_short") and not found["matches"]:
        # A match is evidence whatever was left unread; no match in a partial search is not.
        raise ProbeIncomplete("the ECS search stopped at its limit (20 clusters, 200 services) before it found the "
                              "service behind the load balancer: whether its task definition sets the asset host "
                              "is unknown")
    return found


def waf(ctx: ProbeContext) -> Dict[str, Any]:
    acl = _dist(ctx).web_acl_id
    if not acl:
        raise ProbeSkip("the distribution has no web ACL")
    return cloudfront.web_acl(ctx.need_aws(), acl, around=_answered_at(ctx.data("http.viewer")))


def _answered_at(answer) -> "Optional[datetime.datetime]":
    """When the edge answered the reproduced request (its Date header), or None if unknown."""
    for name, value in (answer or {}).get("headers") or []:
        if str(name).lower() == "date":
            try:
                return parsedate_to_datetime(str(value))
            except (TypeError, ValueError):
                return None
    return None


def origin_access(ctx: ProbeContext) -> Dict[str, Any]:
    _dist(ctx)
    origin = ctx.origin()
    if not origin.oac_id and not origin.oai_id:
        raise ProbeSkip("the origin uses neither OAC nor OAI")
    return cloudfront.origin_access(ctx.need_aws(), origin)


def origin_policies(ctx: ProbeContext) -> Dict[str, Any]:
    _dist(ctx)
    return cloudfront.origin_policies(ctx.need_aws(), dict(ctx.facts.behavior.raw))


def bucket_policy(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.bucket_policy(ctx.need_aws(), ctx.need_bucket())


def bucket_cors(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.bucket_cors(ctx.need_aws(), ctx.need_bucket())


def object_state(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.object_state(ctx.need_aws(), ctx.need_bucket(), ctx.need_key())


def object_owner(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.object_owner(ctx.need_aws(), ctx.need_bucket(), ctx.need_key())


def encryption(ctx: ProbeContext) -> Dict[str, Any]:
    if ctx.facts.object_missing:
        raise ProbeSkip("the object does not exist")
    return s3.encryption(ctx.need_aws(), ctx.need_bucket(), ctx.need_key(), (ctx.data("aws.object") or {}).get("head"),
                         caller_account=(ctx.data("aws.identity") or {}).get("account") or ctx.facts.account)


def public_access(ctx: ProbeContext) -> Dict[str, Any]:
    from ..aws import ownership
    from ..aws.together import settle

    aws, bucket = ctx.need_aws(), ctx.need_bucket()
    # Account-level Block Public Access is the bucket OWNER's account's: never another account's. Whose
    # bucket it is and the bucket's own setting are read at once; the account's after, if it is ours.
    owns, own_setting = settle(lambda: ownership.caller_owns_bucket(aws, bucket),
                               lambda: s3.bucket_public_access(aws, bucket))
    out = {"bucket": own_setting.get()["bucket"]}
    if owns.get() is False:
        out.update(account=None,
                   account_error=ownership.other_account_message(bucket) + " (its account-level settings apply)")
        return out
    out.update(s3.account_public_access(aws, (ctx.data("aws.identity") or {}).get("account") or ctx.facts.account))
    return out


def request_payment(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.request_payment(ctx.need_aws(), ctx.need_bucket())


def bucket_website(ctx: ProbeContext) -> Dict[str, Any]:
    return s3.bucket_website(ctx.need_aws(), ctx.need_bucket())


def scp(ctx: ProbeContext) -> Dict[str, Any]:
    account = ctx.facts.account
    if not account:
        raise ProbeSkip("the account id is unknown")
    return organizations.service_control_policies(ctx.need_aws(), account)


def alb_inventory(ctx: ProbeContext) -> Dict[str, Any]:
    from ..analysis.network.network_inventory import inventory_to_dict
    from ..aws import network

    dist, raw = _alb_origin(ctx)
    return inventory_to_dict(network.collect_alb_inventory(ctx.need_aws(), dict(dist.config), raw))


def _alb_origin(ctx: ProbeContext):
    """The distribution and its origin's raw config, named by the load balancer's own DNS name when a
    custom name resolves to it (Route 53): what the inventory and its front reads both start from."""
    dist = _dist(ctx)
    origin = ctx.origin()
    raw = dict(dist.raw_origin(origin.id) or {"Id": origin.id})
    if origin.load_balancer_dns:
        raw["DomainName"] = origin.load_balancer_dns
    return dist, raw


def _logging_dist(ctx: ProbeContext):
    """The distribution, when its standard logging is on (else the probe and its read-ahead skip)."""
    dist = _dist(ctx)
    if not dist.logging_bucket:
        raise ProbeSkip("standard logging is off for this distribution")
    return dist


def cloudfront_logs(ctx: ProbeContext) -> Dict[str, Any]:
    from ..aws import log_bucket

    dist = _logging_dist(ctx)
    return log_bucket.recent_cloudfront_triage(ctx.need_aws(), dist.logging_bucket, dist.logging_prefix,
                                               distribution_id=dist.id)


def cloudfront_logs_listing(ctx: ProbeContext) -> int:
    """What the walk's read-ahead sends for aws.cloudfront_logs: its listing alone, the same reads
    (the log objects are streamed to the probe itself, never remembered)."""
    from ..aws import log_bucket

    dist = _logging_dist(ctx)
    return log_bucket.list_recent_cloudfront_logs(ctx.need_aws(), dist.logging_bucket, dist.logging_prefix,
                                                  distribution_id=dist.id)


def alb_front(ctx: ProbeContext) -> Dict[str, Any]:
    """The load balancer of the origin, its listeners and target groups: the first reads of the ALB
    inventory, the same requests, so the read cache answers them (the inventory is read ahead while
    the ECS search runs). The metrics and the certificate need no more than these: they do not wait
    for the security groups, interfaces and ACLs behind the targets."""
    from ..aws import network

    dist, raw = _alb_origin(ctx)
    return network.alb_front(ctx.need_aws(), dict(dist.config), raw)


def alb_metrics(ctx: ProbeContext) -> Dict[str, Any]:
    from ..aws import cloudwatch

    dist = _dist(ctx)
    front = alb_front(ctx)
    lb = front.get("load_balancer") or {}
    if not lb and not dist.id:
        raise ProbeSkip("neither the load balancer nor the distribution is known")
    return cloudwatch.edge_metrics(ctx.need_aws(), str(front.get("region") or ctx.need_aws().region),
                                   lb.get("LoadBalancerArn"),
                                   [str(t.get("TargetGroupArn")) for t in front.get("target_groups") or []],
                                   dist.id or None)
