"""Provides the TLS handshake between CloudFront and an ALB's HTTPS listener in the lab: the
certificate the listener serves is the one ALB picks by SNI — of its certificate list
(DescribeListenerCertificates: the default and the extra ones), the first whose names match the
server name CloudFront sends (the forwarded Host, else the origin name), else the default — as ACM
holds it (DescribeCertificate: DomainName and SubjectAlternativeNames, read from the lab's moto
state), and CloudFront accepts it
only when one of its names covers the origin domain or the Host it forwards (the lab's own name rule,
tls_origin._match). Never the scenario's expectations: change the certificate in ACM, or the listener,
and the answer changes.

Applied to every HTTPS leg to a listener with a certificate, whatever the origin name: a custom name
(a Route 53 record that leads to the load balancer) or the load balancer's own *.elb.amazonaws.com
DNS name, which no ACM certificate can cover, so real CloudFront answers 502 there unless the
forwarded Host is covered (alb-502-raw-elb-name-cert-mismatch).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional

from botocore.exceptions import ClientError

from .tls_origin import _match


def _names(net, arn: str) -> Optional[List[str]]:
    try:
        cert = net.client("acm").describe_certificate(CertificateArn=arn).get("Certificate") or {}
    except ClientError:
        return None
    names = [str(n) for n in cert.get("SubjectAlternativeNames") or []]
    domain = str(cert.get("DomainName") or "")
    return ([domain] if domain and domain not in names else []) + names


def _certificate_list(net, listener: Mapping[str, Any], default: str) -> List[str]:
    """The listener's certificate ARNs, the default first then the extra (SNI) ones."""
    arn = str(listener.get("ListenerArn") or "")
    try:
        listed = net.client("elbv2").describe_listener_certificates(ListenerArn=arn).get("Certificates") or []
    except ClientError:
        listed = []
    extras = [str(c.get("CertificateArn")) for c in listed if c.get("CertificateArn") and not c.get("IsDefault")]
    return [default] + [a for a in dict.fromkeys(extras) if a != default]


def certificate_names(net, listener: Mapping[str, Any], sni: str = "") -> Optional[List[str]]:
    """The names of the certificate the listener serves for the server name `sni` (the first of its
    certificates, default first, whose names match it, else the default one); None when the listener names no
    certificate or ACM has no such default certificate (then there is nothing to check against)."""
    arns = [str(c.get("CertificateArn")) for c in listener.get("Certificates") or [] if c.get("CertificateArn")]
    if not arns:
        return None
    default = arns[0]
    if sni:
        for arn in _certificate_list(net, listener, default):
            names = _names(net, arn)
            if names and any(_match(n, sni) for n in names):
                return names
    return _names(net, default)


def refuses(net, listener: Mapping[str, Any], origin_name: str, viewer_host: str) -> Optional[str]:
    """Why CloudFront drops the handshake with the listener (the certificate it serves for CloudFront's
    SNI covers neither the origin name nor the forwarded Host), or None when it accepts it."""
    names = certificate_names(net, listener, viewer_host or origin_name)
    if names is None:
        return None
    if any(_match(n, origin_name) or (viewer_host and _match(n, viewer_host)) for n in names):
        return None
    return (f"the certificate the listener serves names {', '.join(names) or 'nothing'}, which covers neither "
            f"{origin_name}" + (f" nor the forwarded Host {viewer_host}" if viewer_host else "")
            + ": CloudFront drops the TLS handshake")
