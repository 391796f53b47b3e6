"""Provides the ALB certificate probe: for a load balancer origin reached over HTTPS, the certificates
of the listener on the port CloudFront uses — the default one and the extra ones ALB picks from by SNI
(DescribeListenerCertificates) — read from ACM (DescribeCertificate: names, status, expiry), with the
server name CloudFront sends (the origin domain, or the viewer's Host when the behavior forwards it). The load balancer's own TLS is not connected to: CloudFront
reaches it from its edge, and many ALBs admit nothing else."""

from __future__ import annotations

from typing import Any, Dict

from .context import ProbeContext, ProbeSkip


def alb_certificate(ctx: ProbeContext) -> Dict[str, Any]:
    from ..aws import acm

    origin = ctx.origin()
    if origin.kind != "alb":
        raise ProbeSkip(f"the origin is {origin.kind}, not a load balancer")
    from .aws_probes import alb_front

    front = alb_front(ctx)  # the ALB inventory's first reads, answered by the read cache
    if not front.get("load_balancer"):
        raise ProbeSkip("the load balancer was not read")
    leg = ctx.origin_leg(origin)
    if leg.protocol != "https":
        raise ProbeSkip(f"CloudFront speaks plain HTTP to port {leg.port}: no certificate is involved")
    listener = next((lst for lst in front.get("listeners") or [] if int(lst.get("Port") or 0) == leg.port), None)
    if listener is None or str(listener.get("Protocol", "")).upper() not in ("HTTPS", "TLS"):
        raise ProbeSkip(f"no HTTPS listener on port {leg.port}")
    arns = [str(c.get("CertificateArn")) for c in listener.get("Certificates") or [] if c.get("CertificateArn")]
    if not arns:
        raise ProbeSkip(f"the listener on port {leg.port} names no certificate")
    region = str(front.get("region") or ctx.need_aws().region)
    # The default certificate (DescribeListeners names it) is read while the listener's list is.
    from ..aws.together import together

    listed, ahead = together(lambda: _listed(ctx, region, str(listener.get("ListenerArn") or ""), arns[0]),
                             lambda: acm.read_certificates(ctx.need_aws(), region, arns[:1]))
    listed_arns = [c["arn"] for c in listed["certificates"]]
    read = acm.describe_certificates(ctx.need_aws(), region, listed_arns,
                                     ahead={a: v for a, v in ahead.items() if a in listed_arns})
    defaults = {c["arn"] for c in listed["certificates"] if c["is_default"]}
    for cert in read["certificates"]:
        cert["is_default"] = cert["arn"] in defaults
    read["unknowns"] = list(listed["unknowns"]) + list(read["unknowns"])
    return dict(read, extras_read=listed["extras_read"], port=leg.port,
                listener_arn=str(listener.get("ListenerArn") or ""),
                origin_domain=origin.domain, server_name=leg.server_name, host_forwarded=leg.host_forwarded,
                load_balancer=str((front.get("load_balancer") or {}).get("LoadBalancerName") or ""))


def _listed(ctx: ProbeContext, region: str, listener_arn: str, default_arn: str) -> Dict[str, Any]:
    """The listener's certificates, default first (DescribeListeners names only the default one). A
    failed list read keeps the default and says the SNI certificates are unknown."""
    from ..aws.errors import explain
    from ..aws.listener_certificates import listener_certificates

    try:
        listed = listener_certificates(ctx.need_aws(), region, listener_arn) if listener_arn else None
    except Exception as exc:  # noqa: BLE001 - a failed read is an unknown, never a crash
        reason = explain(exc, "elbv2", "DescribeListenerCertificates").message
        return {"certificates": [{"arn": default_arn, "is_default": True}], "extras_read": False,
                "unknowns": [{"what": "the listener's extra (SNI) certificates", "reason": reason}]}
    if not listed:
        return {"certificates": [{"arn": default_arn, "is_default": True}], "extras_read": bool(listener_arn),
                "unknowns": []}
    if not any(c["is_default"] for c in listed):
        listed = [{"arn": default_arn, "is_default": True}] + [c for c in listed if c["arn"] != default_arn]
    return {"certificates": listed, "extras_read": True, "unknowns": []}
