"""Provides the load balancer certificate check: whether the certificate the HTTPS listener serves
CloudFront (read from ACM) covers the name CloudFront checks — the origin domain, or the forwarded
Host — when the viewer got CloudFront's 502. The served certificate is the one ALB picks by SNI: an
extra listener certificate whose names match the server name CloudFront sends, else the default. A listener certificate that covers neither
makes CloudFront drop the handshake (origin.tls.name-mismatch); with any other answer the handshake
evidently worked (or was never reached), so the certificate is not blamed."""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence, Tuple

from ..analysis.edge.origin_connection import covers
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import missing

PROBE = "aws.alb_certificate"
LAYER = "origin"


def listener_certificate(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """origin.tls.name-mismatch for a load balancer origin whose listener certificate (ACM) covers
    neither the origin domain nor the forwarded Host, when CloudFront answered 502."""
    origin = facts.origin
    if origin is None or origin.kind != "alb":
        return [], []
    status = (facts.data("http.viewer") or {}).get("status")
    outcome = facts.outcome(PROBE)
    if status != 502 or (outcome is not None and outcome.status == "skipped"):
        return [], []
    gap = missing(facts, PROBE, LAYER, f"the certificate of the load balancer behind {origin.domain}")
    if gap:
        return [], [gap]
    data = facts.data(PROBE) or {}
    certs = list(data.get("certificates") or [])
    unknowns = [Unknown(LAYER, str(u.get("what")), str(u.get("reason"))) for u in data.get("unknowns") or []]
    if not certs:
        return [], unknowns
    domain = str(data.get("origin_domain") or origin.domain)
    forwarded = bool(data.get("host_forwarded"))
    viewer_host = facts.symptom.host
    sni = str(data.get("server_name") or domain)
    cert, by_sni = served_certificate(certs, sni)
    names = [str(n) for n in cert.get("names") or []]
    if covers(names, "", domain) or (forwarded and covers(names, "", viewer_host)):
        return [], unknowns
    if not by_sni and (data.get("extras_read") is False or unknowns):
        # An extra certificate that could not be read might be the one ALB picks for this name.
        why = (f"the default certificate does not cover {domain}, but not every certificate of the listener "
               "could be read; one of those may be the one ALB serves for this name")
        return [], unknowns + [Unknown(LAYER, f"the certificate the listener serves for {sni}", why)]
    dist = facts.distribution
    shown = ", ".join(names) or "no name"
    expected = domain + (f" nor the forwarded Host {viewer_host}" if forwarded else "")
    rule = (f" or the Host header CloudFront forwards ({viewer_host})" if forwarded else
            " (the behavior does not forward the viewer's Host, so only the origin domain counts)")
    port = str(data.get("port"))
    lb = data.get("load_balancer") or "the load balancer"
    extras = len(certs) - 1
    picked = (f"for SNI {sni} it picks its extra certificate {cert.get('arn')}" if by_sni else
              f"no extra certificate of the listener matches SNI {sni}" if extras > 0 else
              "the listener has no extra (SNI) certificate")
    evidence = (
        f"The viewer got 502 from CloudFront; the listener on port {port} of {lb} "
        f"serves ACM certificate {cert.get('arn')} ({cert.get('status') or 'status unknown'}, valid to "
        f"{cert.get('not_after') or '?'}), which names {shown}"
        + (f" ({picked}, so ALB serves its default certificate)." if not by_sni else f" ({picked})."),
        f"CloudFront checks the name {domain}" + (f" or the forwarded Host {viewer_host}" if forwarded else "")
        + f": none of the certificate's names covers it.",
    )
    return [Hit("origin.tls.name-mismatch", evidence, {
        "origin_domain": domain, "origin_id": origin.id, "distribution_id": dist.id if dist else "",
        "behavior": facts.behavior.path_pattern if facts.behavior else "", "port": port,
        "server_name": str(data.get("server_name") or domain), "expected": expected, "names": shown,
        "host_rule": rule, "subject": str(cert.get("domain") or "no subject name"), "issuer": "ACM",
        "not_after": str(cert.get("not_after") or "?"), "path": (origin.origin_path or "") + facts.symptom.path,
    })], unknowns


def served_certificate(certs: Sequence[Mapping[str, Any]], sni: str) -> Tuple[Mapping[str, Any], bool]:
    """The certificate ALB serves for the server name `sni`, and whether it was chosen by SNI: a
    certificate of the listener whose names match it (the default first), else the default one."""
    ordered = sorted(certs, key=lambda c: not c.get("is_default", c is certs[0]))
    default = ordered[0]
    for cert in ordered:
        if sni and covers([str(n) for n in cert.get("names") or []], "", sni):
            return cert, cert is not default
    return default, False
