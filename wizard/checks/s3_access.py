"""Provides the S3 access checks: does the bucket policy let CloudFront's request through?

REST origins are read as OAC (the cloudfront.amazonaws.com service principal with AWS:SourceArn),
OAI (the identity's principal) or anonymous; website origins are always anonymous, plus the
Referer secret from the origin's custom headers. For these callers the bucket policy alone
decides (no identity policy is involved), so evaluating it is the whole answer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..analysis.s3 import bucket_policy as bp
from ..analysis.s3 import policy_document as pd
from ..aws.facts import EdgeFacts
from ..aws.models import PolicyDocument, PublicAccess
from ..model import Hit, Unknown
from .common import gather, header, missing


def caller(facts: EdgeFacts) -> Tuple[bp.Principal, Dict[str, Any], str]:
    """The principal and request context S3 sees for CloudFront's origin request, and a label."""
    origin = facts.origin
    dist = facts.distribution
    context: Dict[str, Any] = {"aws:SecureTransport": "true"}
    if origin is not None and origin.kind == "s3-rest" and origin.oac_id:
        context.update({"aws:SourceArn": dist.arn, "aws:SourceAccount": facts.account or ""})
        return bp.Principal.cloudfront_service(), context, f"the CloudFront service principal (OAC, distribution {dist.id})"
    if origin is not None and origin.kind == "s3-rest" and origin.oai_id:
        canonical = facts.origin_access.oai_canonical_user if facts.origin_access else ""
        return bp.Principal.oai(origin.oai_id, canonical), context, f"origin access identity {origin.oai_id}"
    if origin is not None and origin.kind == "s3-website":
        context["aws:SecureTransport"] = "false"  # CloudFront talks HTTP to website endpoints
        referer = origin.header("referer")
        if referer is not None:
            context["aws:Referer"] = referer
    return bp.Principal.anonymous(), context, "an anonymous caller (no OAC or OAI on the origin)"


def _request(facts: EdgeFacts) -> bp.Request:
    principal, context, _ = caller(facts)
    return bp.Request(action="s3:GetObject", resource=f"arn:aws:s3:::{facts.bucket}/{facts.key}",
                      principal=principal, context=context)


def _evaluate(policy: PolicyDocument, request: bp.Request) -> bp.Evaluation:
    """The evaluator's verdict on the parsed policy; PolicyError (why it could not be read) otherwise."""
    if policy.document is None:
        raise pd.PolicyError(policy.error or "the policy could not be read")
    return bp.evaluate(policy.document, request)


def _evidence_from_http(facts: EdgeFacts) -> List[str]:
    answer = facts.data("http.viewer")
    if not answer or not answer.get("status"):
        return []
    server = header(answer, "server") or "?"
    code = ""
    body = str(answer.get("body") or "")
    if "<Code>" in body:
        code = " " + body.split("<Code>", 1)[1].split("</Code>", 1)[0][:40]
    return [f"the viewer request got {answer['status']}{code} (Server: {server})"]


def _put_steps(bucket: str, has_policy: bool) -> str:
    """The commands that add a statement without dropping the policy's other statements."""
    if not has_policy:
        return (f'  # the bucket has no policy yet: policy.json is {{"Version": "2012-10-17", "Statement": [<the statement>]}}\n'
                f"  aws s3api put-bucket-policy --bucket {bucket} --policy file://policy.json")
    return (f"  aws s3api get-bucket-policy --bucket {bucket} --query Policy --output text > policy.json\n"
            "  # add the statement to the Statement list in policy.json, then\n"
            f"  aws s3api put-bucket-policy --bucket {bucket} --policy file://policy.json")


def _policy_missing_hit(facts: EdgeFacts, label: str, state: str, has_policy: bool = True) -> Hit:
    origin = facts.origin
    dist = facts.distribution
    steps = _put_steps(str(facts.bucket), has_policy)
    if origin.oac_id:
        fix = ("Grant this distribution (OAC) read access with this statement:\n"
               f'  {{"Sid": "AllowCloudFrontServicePrincipal", "Effect": "Allow", '
               f'"Principal": {{"Service": "cloudfront.amazonaws.com"}}, "Action": "s3:GetObject", '
               f'"Resource": "arn:aws:s3:::{facts.bucket}/*", '
               f'"Condition": {{"StringEquals": {{"AWS:SourceArn": "{dist.arn or None}"}}}}}}\n' + steps)
    elif origin.oai_id:
        fix = (f'Grant the OAI read access with this statement:\n  {{"Sid": "AllowOAI", "Effect": "Allow", '
               f'"Principal": {{"AWS": "{pd.OAI_ARN_PREFIX}{origin.oai_id}"}}, '
               f'"Action": "s3:GetObject", "Resource": "arn:aws:s3:::{facts.bucket}/*"}}\n' + steps)
    else:
        fix = ("The origin has no OAC: S3 sees anonymous requests. Create an origin access control and attach it:\n"
               "  aws cloudfront create-origin-access-control --origin-access-control-config "
               "Name=oac-" + str(facts.bucket) + ",SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3\n"
               f"then grant the distribution in the bucket policy of {facts.bucket} (Principal Service cloudfront.amazonaws.com, "
               f"AWS:SourceArn {dist.arn or None}).")
    return Hit("s3.policy.no-cloudfront-grant", tuple(_evidence_from_http(facts) + [f"bucket policy: {state}"]),
               {"bucket": facts.bucket, "key": facts.key, "principal": label, "policy_state": state,
                "grant_fix": fix, "distribution_id": dist.id})


def rest_policy(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """s3.policy.*: does the bucket policy let this distribution's origin request read the key?"""
    unknown = missing(facts, "aws.bucket_policy", "s3", f"the bucket policy of {facts.bucket}")
    if unknown:
        return [], [unknown]
    policy = facts.bucket_policy
    principal, _, label = caller(facts)
    dist = facts.distribution
    params = {"bucket": facts.bucket, "key": facts.key, "distribution_id": dist.id, "distribution_arn": dist.arn}
    if not policy.exists:
        return [_policy_missing_hit(facts, label, "the bucket has no policy", has_policy=False)], []
    try:
        result = _evaluate(policy, _request(facts))
    except pd.PolicyError as exc:
        return [], [Unknown("s3", f"the bucket policy of {facts.bucket}", f"could not be read: {exc}")]
    evidence = _evidence_from_http(facts)
    if result.decision == "explicit-deny":
        st = result.deciding
        name = st.sid or f"#{st.index + 1}"
        return [Hit("s3.policy.explicit-deny", tuple(evidence + [f"statement {name}: {st.reason}"]),
                    dict(params, statement=name, reason=st.reason))], []
    if result.decision == "allow":
        return [], []
    origin = facts.origin
    statements = policy.statements
    if origin.oac_id:
        for stmt, verdict in zip(statements, result.statements):
            arns = stmt.source_arns
            if stmt.effect == "Allow" and stmt.grants_cloudfront_service and arns:
                name = verdict.sid or f"#{verdict.index + 1}"
                return [Hit("s3.policy.oac-sourcearn-mismatch",
                            tuple(evidence + [f"statement {name}: {verdict.reason}"]),
                            dict(params, statement=name, other_arn=", ".join(arns)))], []
    if origin.oai_id:
        for stmt, verdict in zip(statements, result.statements):
            others = stmt.granted_oais
            if stmt.effect == "Allow" and others:
                name = verdict.sid or f"#{verdict.index + 1}"
                return [Hit("s3.policy.oai-mismatch", tuple(evidence + [f"statement {name}: {verdict.reason}"]),
                            dict(params, statement=name, other_oai=", ".join(others), oai_id=origin.oai_id))], []
    reasons = "; ".join(f"{v.sid or '#' + str(v.index + 1)}: {v.reason}" for v in result.statements)
    return [_policy_missing_hit(facts, label, f"{len(result.statements)} statement(s), none applies ({reasons})")], []


def _public_access_blocks(facts: EdgeFacts, relies_on_policy: bool) -> Optional[Tuple[str, str, str]]:
    """(scope, setting, commands) when Block Public Access voids the public grant, else None.

    A public policy is voided by RestrictPublicBuckets, a public ACL by IgnorePublicAcls (S3 "Block
    Public Access settings"); the account's settings and the bucket's both apply. The commands turn off
    only what voids this grant (and BlockPublicPolicy / BlockPublicAcls, which would refuse the next
    update of that grant), leaving the other settings on.
    """
    pab = facts.public_access or PublicAccess(None, None, None)
    setting = "RestrictPublicBuckets" if relies_on_policy else "IgnorePublicAcls"
    keep = ("BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false"
            if relies_on_policy else
            "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=true,RestrictPublicBuckets=true")
    scopes, commands = [], []
    for scope in ("account", "bucket"):
        if not pab.blocks(scope, setting):
            continue
        scopes.append(scope)
        if scope == "bucket":
            commands.append(f"aws s3api put-public-access-block --bucket {facts.bucket} "
                            f"--public-access-block-configuration {keep}")
        else:
            commands.append(f"aws s3control put-public-access-block --account-id {facts.account} "
                            f"--public-access-block-configuration {keep}"
                            "   # affects every bucket of the account")
    if not scopes:
        return None
    return " and ".join(scopes), setting, "\n  ".join(commands)


def _referer_problem(facts: EdgeFacts, policy: PolicyDocument) -> Optional[Hit]:
    """When some Allow would apply if only the Referer matched, say so."""
    origin = facts.origin
    sent = origin.header("referer")
    for stmt in policy.statements:
        if stmt.effect != "Allow":
            continue
        for op, expected in stmt.condition_values("aws:Referer"):
            request = _request(facts)
            ctx = dict(request.context, **{"aws:Referer": expected.replace("*", "x")})
            trial = _evaluate(policy, bp.Request(request.action, request.resource, request.principal, ctx))
            if trial.decision == "allow":
                state = "sends no Referer header" if sent is None else "sends a Referer header with a different value"
                return Hit("s3.website.referer-mismatch", (
                    f"statement {stmt.name} allows s3:GetObject only with aws:Referer {op} <secret>",
                    f"origin {origin.id} {state} (values are redacted)"),
                    {"bucket": facts.bucket, "statement": stmt.name, "origin_id": origin.id,
                     "header_state": state, "distribution_id": facts.distribution.id})
    return None


def website_access(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """The website-endpoint checks of the Knowledge Center article, in its order.

    Every layer is reported, not only the first: a wrong Referer secret and Block Public Access
    both refuse the same request, and fixing one still leaves the other.
    """
    unknowns = gather(missing(facts, "aws.bucket_policy", "s3", f"the bucket policy of {facts.bucket}"),
                      missing(facts, "aws.public_access", "s3", "Block Public Access settings"),
                      missing(facts, "aws.request_payment", "s3", "Requester Pays"))
    if facts.public_access and facts.public_access.account_error:
        unknowns.append(Unknown("s3", "account-level Block Public Access", facts.public_access.account_error))
    hits: List[Hit] = []
    policy = facts.bucket_policy
    acl = facts.object_acl
    acl_public = bool(acl and acl.public_read)
    acl_error = acl.acl_error if acl else None
    if acl_error:  # a public-read ACL cannot be ruled out: the Block Public Access reading stays open
        unknowns.append(Unknown("s3", "whether the object's ACL makes it public", f"could not check: {acl_error}"))
    decision = None
    if policy and policy.exists:
        try:
            result = _evaluate(policy, _request(facts))
        except pd.PolicyError as exc:
            return [], unknowns + [Unknown("s3", "the bucket policy", f"could not be read: {exc}")]
        decision = result.decision
        if decision == "explicit-deny":
            st = result.deciding
            name = st.sid or f"#{st.index + 1}"
            hits.append(Hit("s3.policy.explicit-deny", tuple(_evidence_from_http(facts) + [f"statement {name}: {st.reason}"]),
                            {"bucket": facts.bucket, "statement": name, "reason": st.reason}))
        elif decision == "implicit-deny":
            referer = _referer_problem(facts, policy)
            if referer:
                hits.append(referer)
                decision = "allow"  # as intended once the secret matches: the next layers still apply
    if decision == "allow" or (decision != "explicit-deny" and acl_public):
        blocked = _public_access_blocks(facts, relies_on_policy=decision == "allow")
        if blocked:
            scope, setting, cmd = blocked
            hits.append(Hit("s3.website.block-public-access",
                            (f"Block Public Access {setting}=true at the {scope} level"
                             + ("s" if " and " in scope else ""),
                             "the object is public only through " + ("the bucket policy" if decision == "allow" else "its ACL")),
                            {"bucket": facts.bucket, "scope": scope, "setting": setting, "command": cmd}))
    elif decision != "explicit-deny" and policy is not None and not acl_error:
        # Only when the policy (and the ACL) were read: an unread policy may well make it public.
        origin = facts.origin
        # With OAC/OAI on a website origin the intent was private content: cf.origin-website-with-oac
        # is the root cause, and "make it public" is only one of its two ways out.
        severity = "contributing" if origin is not None and (origin.oac_id or origin.oai_id) else None
        hits.append(Hit("s3.website.object-not-public", (
            "bucket policy: " + ("none" if not policy.exists else "no statement allows anonymous s3:GetObject on the key"),
            "object ACL: no public-read grant"), {"bucket": facts.bucket, "key": facts.key}, severity=severity))
    if facts.requester_pays:
        hits.append(Hit("s3.website.requester-pays", ("get-bucket-request-payment: Payer=Requester",
                                                      "a website endpoint only sends anonymous requests"),
                        {"bucket": facts.bucket}))
    return hits, unknowns
