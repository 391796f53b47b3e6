"""Provides the organization check: a service control policy that denies s3:GetObject."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from ..analysis import bucket_policy as bp
from ..engine.facts import Facts
from ..model import Hit, Unknown
from .s3_access import caller

# Organizations answers ListPoliciesForTarget only in the management account or a delegated
# administrator (AWS Organizations "Delegated administrator for AWS Organizations").
_WHO_CAN_READ = ("service control policies can be read only from the organization's management account or a "
                 "delegated administrator account: run edgewiz there (read-only), or ask its administrators")


def _statements(doc: Dict[str, Any]) -> List[Dict[str, Any]]:
    statements = doc.get("Statement") or []
    return [s for s in ([statements] if isinstance(statements, dict) else statements) if isinstance(s, dict)]


def _denying(statement: Dict[str, Any], facts: Facts) -> Optional[str]:
    """Why this SCP statement denies CloudFront's s3:GetObject on the key, or None when it does not.

    An SCP statement has no Principal; it is judged as one with `"Principal": "*"` by the same
    evaluator as bucket policies, so its Action/NotAction, Resource and Condition all count.
    """
    if statement.get("Effect") != "Deny":
        return None
    principal, context, _ = caller(facts)
    request = bp.Request("s3:GetObject", f"arn:aws:s3:::{facts.bucket}/{facts.key}", principal, context)
    as_policy = {"Version": "2012-10-17", "Statement": [dict(statement, Principal="*")]}
    try:
        verdict = bp.evaluate(as_policy, request).statements[0]
    except bp.PolicyError:
        return None
    return verdict.reason if verdict.applies else None


def scp(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """org.scp-deny, or an Unknown saying why this layer could not be checked."""
    outcome = facts.outcome("aws.scp")
    if outcome is None or not outcome.ok:
        if outcome is None:
            reason = "not probed"
        elif outcome.status == "denied":
            reason = f"{outcome.error or 'access denied'} ({_WHO_CAN_READ})"
        else:
            reason = outcome.error or outcome.status
        return [], [Unknown("organization", "service control policies", reason)]
    data = outcome.data or {}
    if not data.get("in_organization"):
        return [], []
    for policy in data.get("policies") or []:
        try:
            doc = json.loads(policy.get("content") or "{}")
        except ValueError:
            continue
        for st in _statements(doc):
            why = _denying(st, facts)
            if why:
                where = f" (attached to {policy['target']})" if policy.get("target") else ""
                return [Hit("org.scp-deny", (f"SCP {policy.get('name')} ({policy.get('id')}){where}, statement "
                                             f"{st.get('Sid') or '(no Sid)'}: {why}",),
                            {"policy_name": policy.get("name", ""), "policy_id": policy.get("id", ""),
                             "statement": st.get("Sid") or "(no Sid)", "bucket": facts.bucket or "",
                             "key": facts.key or ""})], []
    return [], []
