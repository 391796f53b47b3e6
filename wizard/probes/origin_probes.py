"""Provides the origin connection probe: for a custom origin, connect the way CloudFront does (the
port its origin protocol policy picks, SNI as CloudFront sends it) and read what answers there."""

from __future__ import annotations

from typing import Any, Dict

from ..http.origin_tls import OriginTarget, probe_origin
from .context import ProbeContext, ProbeSkip

# The probe waits at most this long for the first byte, however long the origin read timeout is.
MAX_WAIT_S = 35.0


def origin_tls(ctx: ProbeContext) -> Dict[str, Any]:
    origin = ctx.origin()
    if origin.kind != "custom":
        raise ProbeSkip(f"the origin is {origin.kind}, not a custom origin")
    if ctx.http is None:
        raise ProbeSkip("HTTP probes are off")
    leg = ctx.origin_leg(origin)
    target = OriginTarget(host=origin.domain, port=leg.port, protocol=leg.protocol, sni=leg.server_name,
                          host_header=leg.server_name, path=(origin.origin_path or "") + ctx.facts.symptom.path,
                          read_timeout=leg.read_timeout)
    timeout = max(float(getattr(ctx.http, "timeout", 10.0)), min(leg.read_timeout + 1.0, MAX_WAIT_S))
    data = probe_origin(target, routes=getattr(ctx.http, "connect_to", None), timeout=timeout)
    data["host_forwarded"] = leg.host_forwarded
    data["policies_read"] = ctx.facts.origin_policies is not None
    return data
