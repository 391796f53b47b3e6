"""Provides the read-only ACM reader for a load balancer listener's certificates: each certificate's
names (DomainName and SubjectAlternativeNames), status and validity, from acm:DescribeCertificate,
as plain data for the ALB certificate probe."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

from .errors import explain
from .session import AwsAccess


def describe_certificates(access: AwsAccess, region: str, arns: Sequence[str]) -> Dict[str, Any]:
    """`certificates` (arn, domain, names, status, not_after, type) for each ARN that could be read, and
    `unknowns` (what could not be read and why). Raises the first failure when none could be read."""
    client = access.client("acm", region)
    out: List[Dict[str, Any]] = []
    unknowns: List[Dict[str, str]] = []
    first = None
    for arn in dict.fromkeys(a for a in arns if a):
        try:
            cert = client.describe_certificate(CertificateArn=arn).get("Certificate") or {}
        except Exception as exc:  # noqa: BLE001 - a failed read is an unknown, never a crash
            first = first or exc
            reason = explain(exc, "acm", "DescribeCertificate").message
            unknowns.append({"what": f"certificate {arn}", "reason": reason})
            continue
        domain = str(cert.get("DomainName") or "")
        # The certificate's own domain first, then its other names sorted: one order however the
        # API lists them (moto keeps them in a set, so two reads of one certificate could differ).
        names = ([domain] if domain else []) + sorted({str(n) for n in cert.get("SubjectAlternativeNames") or []} - {domain})
        not_after = cert.get("NotAfter")
        out.append({"arn": arn, "domain": domain, "names": names, "status": str(cert.get("Status") or ""),
                    "type": str(cert.get("Type") or ""),
                    "not_after": not_after.isoformat() if hasattr(not_after, "isoformat") else str(not_after or "")})
    if first is not None and not out:
        raise first
    return {"certificates": out, "unknowns": unknowns}
