"""Provides the Route 53 reading of a custom origin's name: which load balancer (or other AWS name)
`origin.example.com` really is, through alias records and CNAME chains.

An HTTPS origin needs a certificate for its name, so production ALB origins are usually a name of
the company's own (a Route 53 alias or CNAME to the ALB) rather than the raw `*.elb.amazonaws.com`
name. Reads only ListHostedZones and ListResourceRecordSets; a refused or missing zone leaves the
origin as it was (custom), with the reason kept, never a guessed target.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional

from ..analysis.edge import cloudfront_config as cfc
from .session import AwsAccess

_MAX_HOPS = 5  # CNAME chains longer than this are a loop or a mistake, not a production setup


def zones(r53) -> List[Dict[str, Any]]:
    """Every hosted zone of the account (ListHostedZones, all pages)."""
    out: List[Dict[str, Any]] = []
    for page in r53.get_paginator("list_hosted_zones").paginate():
        out.extend(page.get("HostedZones") or [])
    return out


def _covers(zone_name: str, fqdn: str) -> bool:
    """True when the hosted zone `zone_name` (with its trailing dot) holds `fqdn`: the same name, or
    a name under it at a label boundary (ample.com. does not hold example.com.)."""
    zone, fqdn = zone_name.lower(), fqdn.lower()
    return fqdn == zone or fqdn.endswith("." + zone)


def _record_name(record: Mapping[str, Any]) -> str:
    # Route 53 returns "*" in record names as the octal escape \052 (Route 53 "DNS domain name format").
    return str(record.get("Name", "")).lower().replace("\\052", "*")


def records_for(r53, zone_list: List[Dict[str, Any]], name: str,
                wanted: Callable[[Mapping[str, Any]], bool] = lambda record: True) -> List[Mapping[str, Any]]:
    """The records Route 53 answers `name` with, as far as `wanted` accepts them: from the most
    specific public zone that holds the name, the exact name's records, else those of the nearest
    wildcard above it (Route 53 "Supported DNS record types": *.example.com answers for any name
    below example.com at any depth). The first of those names with an accepted record decides; the
    most specific zone answers for the name (Route 53 does not fall through to a parent zone)."""
    fqdn = name.rstrip(".").lower() + "."
    public = [z for z in zone_list if not (z.get("Config") or {}).get("PrivateZone") and _covers(z["Name"], fqdn)]
    for zone in sorted(public, key=lambda z: -len(z["Name"])):
        labels = fqdn.split(".")
        candidates = [fqdn] + ["*." + ".".join(labels[i:]) for i in range(1, len(labels) - 1)
                               if _covers(zone["Name"], ".".join(labels[i:]))]
        for candidate in candidates:
            page = r53.list_resource_record_sets(HostedZoneId=zone["Id"], StartRecordName=candidate, MaxItems="10")
            found = [r for r in page.get("ResourceRecordSets") or [] if _record_name(r) == candidate and wanted(r)]
            if found:
                return found
        return []
    return []


def _points_somewhere(record: Mapping[str, Any]) -> bool:
    """An alias (A/AAAA/CNAME) with a target, or a CNAME with a value."""
    if record.get("Type") not in ("A", "AAAA", "CNAME"):
        return False
    alias = (record.get("AliasTarget") or {}).get("DNSName")
    values = [alias] if alias else [r.get("Value") for r in record.get("ResourceRecords") or []]
    return bool(values and values[0] and (alias or record.get("Type") == "CNAME"))


def _target(r53, zone_list: List[Dict[str, Any]], name: str) -> Optional[str]:
    """Where one Route 53 name points (alias target or CNAME value)."""
    for record in records_for(r53, zone_list, name, _points_somewhere)[:1]:
        alias = (record.get("AliasTarget") or {}).get("DNSName")
        value = alias or (record.get("ResourceRecords") or [{}])[0].get("Value")
        return str(value).rstrip(".").lower()
    return None


def resolve(access: AwsAccess, name: str) -> Dict[str, Any]:
    """Follow `name` through Route 53 to the name it ends at: {"chain": [...], "target", "kind"}.

    `kind` is the origin kind of the final name (alb for an ALB or NLB DNS name); `target` None
    when Route 53 holds no record for the name (it may live in another DNS service)."""
    r53 = access.client("route53")
    zone_list = zones(r53)
    chain = [name.rstrip(".").lower()]
    while len(chain) <= _MAX_HOPS:
        nxt = _target(r53, zone_list, chain[-1])
        if not nxt or nxt in chain:
            break
        chain.append(nxt)
        if cfc.classify_origin({"DomainName": nxt}).kind != "custom":
            break
    target = chain[-1] if len(chain) > 1 else None
    kind = cfc.classify_origin({"DomainName": target}).kind if target else "custom"
    return {"name": chain[0], "chain": chain, "target": target, "kind": kind}


def resolve_custom_origins(access: AwsAccess, config: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    """For each custom origin of the distribution, where its name leads (by origin id).

    A failed read is kept as {"error": ...} for that origin: it stays "custom", and says why."""
    from .errors import explain

    out: Dict[str, Dict[str, Any]] = {}
    for raw in ((config or {}).get("Origins") or {}).get("Items") or []:
        info = cfc.classify_origin(raw)
        if info.kind != "custom" or not info.domain:
            continue
        try:
            out[info.id] = resolve(access, info.domain)
        except Exception as exc:  # noqa: BLE001 - the origin stays custom; the reason is shown
            out[info.id] = {"name": info.domain, "error": explain(exc, "route53", "ListResourceRecordSets").message}
    return out
