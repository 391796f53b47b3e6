"""Provides the diagnosis's reading of CloudFront origin groups: which group a behavior targets, its
members in order (primary first) and the status codes that make CloudFront fail over.

CloudFront fails over to the secondary only for GET, HEAD and OPTIONS requests and only when the
primary answers one of the group's FailoverCriteria status codes (or cannot be reached); any other
status, a 403 included when it is not listed, reaches the viewer as the primary gave it (AWS
"Optimize high availability with CloudFront origin failover").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Tuple

FAILOVER_METHODS = ("GET", "HEAD", "OPTIONS")


def _items(container: Any) -> List[Any]:
    return list((container or {}).get("Items") or []) if isinstance(container, Mapping) else []


@dataclass(frozen=True)
class OriginGroup:
    """One origin group of a distribution."""

    id: str
    members: Tuple[str, ...]  # origin ids, primary first
    failover_codes: Tuple[int, ...]

    @property
    def primary(self) -> Optional[str]:
        return self.members[0] if self.members else None

    @property
    def secondary(self) -> Optional[str]:
        return self.members[1] if len(self.members) > 1 else None

    def fails_over_on(self, status: int) -> bool:
        return status in self.failover_codes


def group_for(config: Mapping[str, Any], target_id: str) -> Optional[OriginGroup]:
    """The origin group named `target_id` in the DistributionConfig, or None."""
    for raw in _items(config.get("OriginGroups")):
        if raw.get("Id") == target_id:
            codes = []
            for code in _items((raw.get("FailoverCriteria") or {}).get("StatusCodes")):
                try:
                    codes.append(int(code))
                except (TypeError, ValueError):
                    continue
            return OriginGroup(str(raw.get("Id")), tuple(str(m.get("OriginId")) for m in _items(raw.get("Members"))),
                               tuple(codes))
    return None
