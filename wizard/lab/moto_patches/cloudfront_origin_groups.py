"""Provides the moto patch that lets a cache behavior target an origin group.

Replaces: moto 5.2.5 keeps OriginGroups in the DistributionConfig but refuses a distribution whose
DefaultCacheBehavior's TargetOriginId names one (NoSuchOrigin: "One or more of your origins or origin
groups do not exist"). CloudFront accepts an origin group id wherever an origin id may go
(CacheBehavior.TargetOriginId: "the value of ID for the origin or origin group"), as long as the
group's members are origins of the distribution.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._common import wrap


def _group_member(config: Dict[str, Any], target: str) -> Optional[str]:
    """The first member of the origin group `target`, when the group exists and all its members are
    origins of the distribution; else None (moto's own check then answers NoSuchOrigin)."""
    origin_ids: List[str] = []
    for origin in (config.get("Origins") or {}).get("Items") or []:
        origin_ids.append(origin["Id"] if isinstance(origin, dict) else getattr(origin, "id", ""))
    for group in (config.get("OriginGroups") or {}).get("Items") or []:
        if group.get("Id") != target:
            continue
        members = [m.get("OriginId") for m in (group.get("Members") or {}).get("Items") or []]
        if members and all(m in origin_ids for m in members):
            return members[0]
    return None


def patch_origin_group_targets() -> None:
    """A behavior whose TargetOriginId is a valid origin group passes moto's origin check and keeps
    the group id."""
    from moto.cloudfront import models

    def make(original):
        def __init__(self, config: Dict[str, Any]) -> None:
            behavior = config.get("DefaultCacheBehavior") or {}
            target = behavior.get("TargetOriginId") if isinstance(behavior, dict) else None
            member = _group_member(config, target) if target else None
            if member is None:
                original(self, config)
                return
            behavior["TargetOriginId"] = member  # moto checks against Origins only
            try:
                original(self, config)
            finally:
                behavior["TargetOriginId"] = target
            self.DefaultCacheBehavior.target_origin_id = target
        return __init__

    wrap(models.DistributionConfig, "__init__", make)


def apply() -> None:
    patch_origin_group_targets()
