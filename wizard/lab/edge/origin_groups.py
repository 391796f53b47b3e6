"""Provides the simulator's origin groups: CloudFront asks the group's primary member and, for GET,
HEAD and OPTIONS only, asks the secondary when the primary's answer is one of the group's failover
status codes (AWS "Optimize high availability with CloudFront origin failover"). Any other status,
a 403 included when it is not listed, goes back to the viewer as the primary gave it.

Written for the lab from CloudFront's documented behaviour; the diagnosis does not import it.
"""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Tuple

FAILOVER_METHODS = ("GET", "HEAD", "OPTIONS")


def _items(container: Any) -> List[Any]:
    return list((container or {}).get("Items") or []) if isinstance(container, Mapping) else []


def group_for(config: Mapping[str, Any], target_id: str) -> Optional[Mapping[str, Any]]:
    """The origin group a behavior targets, or None when the target is not a group."""
    return next((g for g in _items(config.get("OriginGroups")) if g.get("Id") == target_id), None)


def failover_codes(group: Mapping[str, Any]) -> Tuple[int, ...]:
    return tuple(int(c) for c in _items((group.get("FailoverCriteria") or {}).get("StatusCodes")))


def members(group: Mapping[str, Any]) -> List[str]:
    return [str(m.get("OriginId")) for m in _items(group.get("Members"))]


def ask(config: Mapping[str, Any], target_id: str, method: str,
        call: Callable[[Mapping[str, Any]], tuple]) -> Optional[tuple]:
    """The origin's answer for a behavior's target: `call(raw_origin)` for a plain origin; for an
    origin group the primary's answer, or the secondary's when the primary failed over. None when the
    target names neither an origin nor a group of existing origins."""
    by_id = {o.get("Id"): o for o in _items(config.get("Origins"))}
    group = group_for(config, target_id)
    if group is None:
        raw = by_id.get(target_id)
        return call(raw) if raw is not None else None
    order = [by_id.get(m) for m in members(group)]
    if not order or any(o is None for o in order):
        return None
    answer = call(order[0])
    if method in FAILOVER_METHODS and len(order) > 1 and answer[0] in failover_codes(group):
        return call(order[1])
    return answer
