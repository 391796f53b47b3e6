"""Provides the TLS handshake between CloudFront and an ALB's HTTPS listener in the lab: the
certificate the listener serves is its default certificate as ACM holds it (DescribeCertificate:
DomainName and SubjectAlternativeNames, read from the lab's moto state), and CloudFront accepts it
only when one of its names covers the origin domain or the Host it forwards (the lab's own name rule,
tls_origin._match). Never the scenario's expectations: change the certificate in ACM, or the listener,
and the answer changes.

Applied to origins CloudFront reaches by a custom name (a Route 53 record that leads to the load
balancer). Origins that name the load balancer's own *.elb.amazonaws.com DNS name are not checked:
the older built-in scenarios were written before the lab served ALB certificates, and no ACM
certificate can cover that name (a scenario wanting this 502 uses a custom name).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional

from botocore.exceptions import ClientError

from .tls_origin import _match


def certificate_names(net, listener: Mapping[str, Any]) -> Optional[List[str]]:
    """The names of the listener's default certificate in ACM; None when it names none or ACM has
    no such certificate (then there is nothing to check against)."""
    arns = [str(c.get("CertificateArn")) for c in listener.get("Certificates") or [] if c.get("CertificateArn")]
    if not arns:
        return None
    try:
        cert = net.client("acm").describe_certificate(CertificateArn=arns[0]).get("Certificate") or {}
    except ClientError:
        return None
    names = [str(n) for n in cert.get("SubjectAlternativeNames") or []]
    domain = str(cert.get("DomainName") or "")
    return ([domain] if domain and domain not in names else []) + names


def refuses(net, listener: Mapping[str, Any], origin_name: str, viewer_host: str) -> Optional[str]:
    """Why CloudFront drops the handshake with the listener (its certificate covers neither the
    origin name nor the forwarded Host), or None when it accepts it."""
    names = certificate_names(net, listener)
    if names is None:
        return None
    if any(_match(n, origin_name) or (viewer_host and _match(n, viewer_host)) for n in names):
        return None
    return (f"the listener's certificate names {', '.join(names) or 'nothing'}, which covers neither "
            f"{origin_name}" + (f" nor the forwarded Host {viewer_host}" if viewer_host else "")
            + ": CloudFront drops the TLS handshake")
