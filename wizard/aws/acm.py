"""Provides the read-only ACM reader for a load balancer listener's certificates: each certificate's
names (DomainName and SubjectAlternativeNames), status and validity, from acm:DescribeCertificate,
as plain data for the ALB certificate probe."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from .errors import explain
from .session import AwsAccess


def read_certificates(access: AwsAccess, region: str, arns: Sequence[str]) -> Dict[str, Any]:
    """Each ARN's DescribeCertificate answer, read at once (independent reads), as together.Settled:
    its `Certificate`, or the exception it raised. For describe_certificates (`ahead`)."""
    from .together import settle

    client = access.client("acm", region)
    wanted = list(dict.fromkeys(a for a in arns if a))
    answers = settle(*[(lambda arn=arn: client.describe_certificate(CertificateArn=arn).get("Certificate") or {})
                       for arn in wanted])
    return dict(zip(wanted, answers))


def describe_certificates(access: AwsAccess, region: str, arns: Sequence[str],
                          ahead: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """`certificates` (arn, domain, names, status, not_after, type) for each ARN that could be read, and
    `unknowns` (what could not be read and why). Raises the first failure when none could be read.
    `ahead`: read_certificates' answers already in hand (the default certificate, read while the
    listener's list was); the other ARNs are read at once."""
    wanted = list(dict.fromkeys(a for a in arns if a))
    answers = dict(ahead or {})
    answers.update(read_certificates(access, region, [a for a in wanted if a not in answers]))
    out: List[Dict[str, Any]] = []
    unknowns: List[Dict[str, str]] = []
    first = None
    for arn in wanted:
        try:
            cert = answers[arn].get()
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
