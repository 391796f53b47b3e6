"""Provides ProbeContext: what a probe may use (the facts so far, the AWS access, the HTTP prober),
ProbeSkip, which a probe raises when it does not apply, ProbeIncomplete, when it could read only
part of what it needs, and ProbeFailed, for a failure that is already explained in one sentence
(an HTTP fetch that got no answer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..aws.facts import EdgeFacts


class ProbeSkip(Exception):
    """The probe does not apply here (no page origin, no OAC, not an S3 origin...)."""


class ProbeIncomplete(Exception):
    """The probe read only part of what it needs (a capped listing, a truncated page): its
    conclusion is unknown, never drawn from the part it saw."""


class ProbeFailed(Exception):
    """The probe could not get its data; the message says why, ready to show (not an AWS error)."""


@dataclass
class ProbeContext:
    """Everything a probe may touch."""

    facts: EdgeFacts
    aws: Any = None  # wizard.aws.session.AwsAccess, or None when AWS is not configured
    http: Any = None  # wizard.http.client.HttpProber

    def need_aws(self):
        if self.aws is None:
            raise ProbeSkip("AWS is not configured (no credentials or --no-aws)")
        return self.aws

    def need_bucket(self) -> str:
        bucket = self.facts.bucket
        if not bucket:
            raise ProbeSkip("the origin is not an S3 bucket")
        return bucket

    def need_key(self) -> str:
        key = self.facts.key
        if key is None:
            raise ProbeSkip("no object key for this URL")
        return key

    def origin(self):
        origin = self.facts.origin
        if origin is None:
            raise ProbeSkip("the behavior's origin is unknown")
        return origin

    def origin_leg(self, origin):
        """How CloudFront connects to this custom origin (port, protocol, the name it sends): from the
        origin protocol policy, the viewer's scheme and Host, and whether the behavior forwards Host."""
        from urllib.parse import urlsplit

        from ..analysis.edge.origin_connection import forwards_host, origin_leg

        policies = self.facts.origin_policies
        behavior = self.facts.behavior
        forwarded = forwards_host(dict(behavior.raw) if behavior else {},
                                  policies.origin_request if policies else None, policies.cache if policies else None)
        scheme = urlsplit(self.facts.symptom.url).scheme or "https"
        return origin_leg(origin.custom_config, origin.domain, scheme, self.facts.symptom.host, forwarded)

    def data(self, probe: str) -> Optional[Any]:
        return self.facts.data(probe)
