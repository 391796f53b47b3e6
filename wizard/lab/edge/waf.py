"""Provides a small AWS WAF evaluator for the simulator: the statements a scenario uses (geo match,
IP set, byte match on the path or a header, and/or/not), in priority order, then the default."""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, Mapping, Optional, Tuple


def _field(request: Mapping[str, Any], field: Mapping[str, Any]) -> str:
    if "UriPath" in field:
        return request["path"]
    if "QueryString" in field:
        return request.get("query", "")
    if "SingleHeader" in field:
        return request["headers"].get(field["SingleHeader"]["Name"].lower(), "")
    if "Method" in field:
        return request["method"]
    return ""


def _byte_match(stmt: Mapping[str, Any], request: Mapping[str, Any]) -> bool:
    value = _field(request, stmt.get("FieldToMatch") or {})
    needle = stmt.get("SearchString", b"")
    needle = needle.decode() if isinstance(needle, bytes) else str(needle)
    for transform in stmt.get("TextTransformations") or []:
        if transform.get("Type") == "LOWERCASE":
            value = value.lower()
    where = stmt.get("PositionalConstraint", "CONTAINS")
    return {"EXACTLY": value == needle, "STARTS_WITH": value.startswith(needle), "ENDS_WITH": value.endswith(needle),
            "CONTAINS": needle in value, "CONTAINS_WORD": needle in value.split()}.get(where, False)


def matches(statement: Mapping[str, Any], request: Mapping[str, Any], ip_sets) -> bool:
    """True when a WAF statement matches the simulated request (unknown statements never match)."""
    if "GeoMatchStatement" in statement:
        return request.get("country") in statement["GeoMatchStatement"].get("CountryCodes", [])
    if "IPSetReferenceStatement" in statement:
        addresses = ip_sets(statement["IPSetReferenceStatement"]["ARN"])
        ip = ipaddress.ip_address(request["ip"])
        return any(ip in ipaddress.ip_network(a, strict=False) for a in addresses)
    if "ByteMatchStatement" in statement:
        return _byte_match(statement["ByteMatchStatement"], request)
    if "AndStatement" in statement:
        return all(matches(s, request, ip_sets) for s in statement["AndStatement"]["Statements"])
    if "OrStatement" in statement:
        return any(matches(s, request, ip_sets) for s in statement["OrStatement"]["Statements"])
    if "NotStatement" in statement:
        return not matches(statement["NotStatement"]["Statement"], request, ip_sets)
    return False  # managed rule groups, rate rules: the lab does not emulate their contents


def decide(acl: Mapping[str, Any], request: Mapping[str, Any], ip_sets) -> Tuple[str, Optional[Dict[str, Any]]]:
    """("BLOCK"|"ALLOW"|"COUNT", the terminating rule or None for the default action)."""
    for rule in sorted(acl.get("Rules") or [], key=lambda r: r.get("Priority", 0)):
        if not matches(rule.get("Statement") or {}, request, ip_sets):
            continue
        action = rule.get("Action") or {}
        if "Block" in action:
            return "BLOCK", rule
        if "Allow" in action:
            return "ALLOW", rule
    default = acl.get("DefaultAction") or {}
    return ("BLOCK" if "Block" in default else "ALLOW"), None
