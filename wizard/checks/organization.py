"""Provides the organization check, as AWS evaluates organization policies for CloudFront's read:
resource control policies above the bucket owner's account can deny it (org.rcp-deny); service
control policies cannot, so an SCP that denies s3:GetObject is only explained (org.scp-deny, a note)."""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from ..analysis.s3 import bucket_policy as bp
from ..analysis.s3 import policy_document as pd
from ..aws.facts import EdgeFacts
from ..aws.models import PolicyDocument, PolicyStatement
from ..model import Hit, Unknown
from .s3_access import caller

# Organizations answers ListPoliciesForTarget only in the management account or a delegated
# administrator (AWS Organizations "Delegated administrator for AWS Organizations").
_WHO_CAN_READ = ("organization policies can be read only from the organization's management account or a "
                 "delegated administrator account: run edgewiz there (read-only), or ask its administrators")

# Condition keys a request of each kind of caller never carries (IAM "AWS global condition context
# keys": the principal keys exist only for signed requests of IAM principals, aws:PrincipalOrgID not
# for service principals, the source keys only when a service acts for a resource; CloudFront reaches
# S3 over the internet, never through a VPC endpoint). Keys outside these and the request context
# are keys whose value edgewiz does not know: a statement that tests one cannot be decided.
_NEVER_VPC = frozenset({"aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip"})
_PRINCIPAL_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
                             "aws:principalarn", "aws:userid", "aws:username", "aws:principaltype"})
_SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})
_ABSENT = {
    "service": _NEVER_VPC | {"aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
                             "aws:principalarn", "aws:userid", "aws:username"},
    "oai": _NEVER_VPC | _SOURCE_KEYS | {"aws:principalorgid", "aws:principalorgpaths"},
    "anonymous": _NEVER_VPC | _SOURCE_KEYS | _PRINCIPAL_KEYS | {"aws:principalisawsservice",
                                                                "aws:principalservicename"},
}


def _documents(policies) -> List[Tuple[Dict[str, Any], PolicyStatement]]:
    """Each organization policy's statements, read by the one policy reader (SCPs have no Principal,
    so they are read as written, not as bucket policies)."""
    return [(policy, st) for policy in policies or []
            for st in PolicyDocument.parse(policy.get("content")).statements]


def _kind(principal: bp.Principal) -> str:
    if principal.kind == "service":
        return "service"
    return "oai" if principal.kind == "aws" else "anonymous"


def _request(facts: EdgeFacts, data: Dict[str, Any]) -> Tuple[bp.Request, str, FrozenSet[str]]:
    """CloudFront's origin request as S3 evaluates it, its label, and the condition keys it is known to
    lack. The OAC request carries aws:SourceOrgID when the distribution's account is the one read
    (so it is in this organization)."""
    principal, context, label = caller(facts)
    context = dict(context)
    kind = _kind(principal)
    if kind == "service" and data.get("organization_id") and facts.account == data.get("account"):
        context["aws:SourceOrgID"] = data["organization_id"]
    if kind == "oai":
        context["aws:PrincipalIsAWSService"] = "false"  # an OAI is not a service principal
    if facts.origin is not None and facts.origin.bucket_region:
        context["aws:RequestedRegion"] = facts.origin.bucket_region
    request = bp.Request("s3:GetObject", f"arn:aws:s3:::{facts.bucket}/{facts.key}", principal, context)
    return request, label, frozenset(_ABSENT[kind])


def _unknown_keys(statement: PolicyStatement, request: bp.Request, absent: FrozenSet[str]) -> List[str]:
    known = {str(k).lower() for k in request.context}
    if request.principal.kind == "service":
        known |= {"aws:principalisawsservice", "aws:principalservicename"}  # the evaluator adds them
    return [key for _, key, _ in statement.conditions if key.lower() not in known and key.lower() not in absent]


def _verdict(statement: PolicyStatement, request: bp.Request, absent: FrozenSet[str],
             conditions: bool = True) -> Optional[Tuple[str, str]]:
    """("deny", why) when the Deny statement refuses the request, ("undecided", why) when it would if a
    condition key edgewiz cannot know said so, None when it does not apply."""
    if statement.effect != "Deny":
        return None
    raw = dict(statement.raw, Principal=statement.raw.get("Principal", "*"))
    if not conditions:
        raw.pop("Condition", None)
    try:
        verdict = bp.evaluate({"Version": "2012-10-17", "Statement": [raw]}, request).statements[0]
        bare = bp.evaluate({"Version": "2012-10-17", "Statement": [{k: v for k, v in raw.items() if k != "Condition"}]},
                           request).statements[0]
    except pd.PolicyError:
        return None
    if not bare.applies:
        return None  # another action, resource or principal: no condition can make it apply
    unknown = _unknown_keys(statement, request, absent) if conditions else []
    if unknown:
        return "undecided", (f"it tests {', '.join(unknown)}, which edgewiz cannot know for this request, "
                             "so whether it applies cannot be decided")
    return ("deny", verdict.reason) if verdict.applies else None


def _unknown(facts: EdgeFacts) -> Optional[Unknown]:
    outcome = facts.outcome("aws.scp")
    if outcome is None:
        return Unknown("organization", "organization policies (SCPs, RCPs)", "not probed")
    if outcome.status == "denied":
        return Unknown("organization", "organization policies (SCPs, RCPs)",
                       f"{outcome.error or 'access denied'} ({_WHO_CAN_READ})")
    if not outcome.ok:
        return Unknown("organization", "organization policies (SCPs, RCPs)", outcome.error or outcome.status)
    return None


def _rcp(facts: EdgeFacts, data: Dict[str, Any], request, label, absent) -> Tuple[List[Hit], List[Unknown]]:
    owner = data.get("account")
    if owner and owner == data.get("management_account"):
        return [], []  # "RCPs don't affect resources in the management account" (AWS Organizations, RCPs)
    if data.get("rcps") is None:
        return [], [Unknown("organization", "resource control policies", data.get("rcp_error") or "not read")]
    undecided: List[str] = []
    for policy, st in _documents(data.get("rcps")):
        verdict = _verdict(st, request, absent)
        if verdict is None:
            continue
        sid = st.sid or "(no Sid)"
        where = f" (attached to {policy['target']})" if policy.get("target") else ""
        if verdict[0] == "undecided":
            undecided.append(f"RCP {policy.get('name')} statement {sid}: {verdict[1]}")
            continue
        return [Hit("org.rcp-deny", (
            f"RCP {policy.get('name')} ({policy.get('id')}){where}, statement {sid}: {verdict[1]}",
            f"the bucket's account {owner} is a member account, so RCPs above it cover its buckets; "
            f"S3 sees {label}"),
            {"policy_name": policy.get("name", ""), "policy_id": policy.get("id", ""), "statement": sid,
             "bucket": facts.bucket or "", "key": facts.key or "", "caller": label, "account": owner or ""})], []
    return [], [Unknown("organization", "resource control policies", u) for u in undecided[:1]]


def _scp_note(facts: EdgeFacts, data: Dict[str, Any], request, label, absent) -> List[Hit]:
    """The first SCP statement that denies s3:GetObject on the object to someone: explained, never
    blamed. SCPs "limit permissions of IAM principals within your organization's member accounts"
    (AWS Organizations, SCPs); CloudFront's service principal, an OAI and an anonymous request are
    not such principals, and the management account is never restricted."""
    for policy, st in _documents(data.get("policies")):
        # An SCP has no Principal (it is judged as "*"); its conditions are left out: whatever they
        # test, the statement cannot touch this caller.
        if _verdict(st, request, absent, conditions=False) is None:
            continue
        sid = st.sid or "(no Sid)"
        management = data.get("account") and data.get("account") == data.get("management_account")
        return [Hit("org.scp-deny", (
            f"SCP {policy.get('name')} ({policy.get('id')}), statement {sid}, can deny s3:GetObject on "
            f"{facts.bucket}/{facts.key} to IAM users and roles of the account",
            f"it does not apply to this read: S3 sees {label}, which no SCP restricts"
            + (", and the account is the organization's management account, which SCPs never restrict"
               if management else "")),
            {"policy_name": policy.get("name", ""), "policy_id": policy.get("id", ""), "statement": sid,
             "bucket": facts.bucket or "", "key": facts.key or "", "caller": label})]
    return []


def scp(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """org.rcp-deny (an RCP denies CloudFront's read), org.scp-deny (an SCP that cannot, explained), or
    an Unknown saying why this layer could not be checked."""
    unknown = _unknown(facts)
    if unknown is not None:
        return [], [unknown]
    data = facts.data("aws.scp") or {}
    if not data.get("in_organization"):
        return [], []
    request, label, absent = _request(facts, data)
    hits, unknowns = _rcp(facts, data, request, label, absent)
    return hits + _scp_note(facts, data, request, label, absent), unknowns
