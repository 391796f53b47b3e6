"""Provides the read-only reader of a load balancer listener's certificate list
(elasticloadbalancing:DescribeListenerCertificates): the default certificate and the extra ones the
listener picks from by SNI, as ARNs with their default flag, for the ALB certificate probe."""

from __future__ import annotations

from typing import Dict, List

from .session import AwsAccess

_MAX_PAGES = 10  # a listener holds at most 25 extra certificates by default: a few pages at most


def listener_certificates(access: AwsAccess, region: str, listener_arn: str) -> List[Dict[str, object]]:
    """Each certificate of the listener: {"arn", "is_default"}, the default first. Raises on a failed
    read (the probe turns it into an unknown) and when the list is longer than the pages read."""
    client = access.client("elbv2", region)
    found: Dict[str, bool] = {}
    marker = None
    for _ in range(_MAX_PAGES):
        page = client.describe_listener_certificates(ListenerArn=listener_arn, **({"Marker": marker} if marker else {}))
        for cert in page.get("Certificates") or []:
            arn = str(cert.get("CertificateArn") or "")
            if arn:
                found[arn] = found.get(arn, False) or bool(cert.get("IsDefault"))
        marker = page.get("NextMarker")
        if not marker:
            break
    else:
        raise RuntimeError(f"the listener's certificate list is longer than {_MAX_PAGES} pages")
    return sorted(({"arn": arn, "is_default": default} for arn, default in found.items()),
                  key=lambda c: not c["is_default"])
