"""Provides the organization check: a service control policy that denies s3:GetObject."""

from __future__ import annotations

import fnmatch
import json
from typing import Any, List, Tuple

from ..engine.facts import Facts
from ..model import Hit, Unknown


def _list(value: Any) -> List[str]:
    return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])


def _denies(statement: dict, action: str, resource: str) -> bool:
    if statement.get("Effect") != "Deny":
        return False
    actions = _list(statement.get("Action"))
    if actions and not any(fnmatch.fnmatch(action.lower(), a.lower()) for a in actions):
        return False
    not_actions = _list(statement.get("NotAction"))
    if not_actions and any(fnmatch.fnmatch(action.lower(), a.lower()) for a in not_actions):
        return False
    resources = _list(statement.get("Resource")) or ["*"]
    return any(fnmatch.fnmatchcase(resource, r) for r in resources)


def scp(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """org.scp-deny, or an Unknown saying why this layer could not be checked."""
    outcome = facts.outcome("aws.scp")
    if outcome is None or not outcome.ok:
        reason = (outcome.error if outcome and outcome.error else "not probed")
        return [], [Unknown("organization", "service control policies", reason)]
    data = outcome.data or {}
    if not data.get("in_organization"):
        return [], []
    resource = f"arn:aws:s3:::{facts.bucket}/{facts.key}"
    for policy in data.get("policies") or []:
        try:
            doc = json.loads(policy.get("content") or "{}")
        except ValueError:
            continue
        statements = doc.get("Statement") or []
        statements = [statements] if isinstance(statements, dict) else statements
        for st in statements:
            if isinstance(st, dict) and _denies(st, "s3:GetObject", resource):
                cond = " (with conditions: " + json.dumps(st["Condition"]) + ")" if st.get("Condition") else ""
                return [Hit("org.scp-deny", (f"SCP {policy.get('name')} ({policy.get('id')}) statement "
                                             f"{st.get('Sid') or '(no Sid)'} denies s3:GetObject on {resource}{cond}",),
                            {"policy_name": policy.get("name", ""), "policy_id": policy.get("id", "")})], []
    return [], []
