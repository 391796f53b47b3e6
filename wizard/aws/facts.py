"""Provides EdgeFacts: the facts of one walk read as typed models (wizard/aws/models.py) — the
distribution, the behavior and origin the URL meets, the S3 key it becomes, the bucket policy, the
object — and the one table of which probe each reading comes from.

Pure (no boto3): the probes' plain data stays what journals keep; the models are built from it here,
once per outcome.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional

from ..engine.facts import Facts
from . import models as m

# Which probe each reading is built from: the only place the readings name probes.
DISTRIBUTION = "aws.distribution"
IDENTITY = "aws.identity"
ORIGIN_ACCESS = "aws.origin_access"
ORIGIN_POLICIES = "aws.origin_policies"
BUCKET_POLICY = "aws.bucket_policy"
BUCKET_CORS = "aws.bucket_cors"
BUCKET_WEBSITE = "aws.bucket_website"
OBJECT = "aws.object"
OBJECT_ACL = "aws.object_owner"
ENCRYPTION = "aws.encryption"
PUBLIC_ACCESS = "aws.public_access"
REQUEST_PAYMENT = "aws.request_payment"
WAF = "aws.waf"


class EdgeFacts(Facts):
    """Facts with the readings every probe and check shares."""

    # CloudFront -----------------------------------------------------------------------------------

    @property
    def distribution(self) -> Optional[m.Distribution]:
        return self.reading(DISTRIBUTION, m.Distribution.from_data)

    @property
    def config(self) -> Mapping[str, Any]:
        """The raw DistributionConfig (for the analyses that read CloudFront's own shapes)."""
        dist = self.distribution
        return dist.config if dist else {}

    @property
    def behavior(self) -> Optional[m.Behavior]:
        dist = self.distribution
        return dist.behavior_for(self.symptom.path) if dist else None

    @property
    def origin(self) -> Optional[m.Origin]:
        behavior = self.behavior
        return self.distribution.origin_for(behavior) if behavior else None

    @property
    def origin_kind(self) -> str:
        origin = self.origin
        return origin.kind if origin else "unknown"

    @property
    def origin_access(self) -> Optional[m.OriginAccess]:
        return self.reading(ORIGIN_ACCESS, m.OriginAccess.from_data)

    @property
    def origin_policies(self) -> Optional[m.OriginPolicies]:
        return self.reading(ORIGIN_POLICIES, m.OriginPolicies.from_data)

    @property
    def web_acl(self) -> Optional[m.WebAcl]:
        return self.reading(WAF, m.WebAcl.from_data)

    @property
    def account(self) -> Optional[str]:
        dist = self.distribution
        if dist and dist.arn:
            return dist.account
        return (self.data(IDENTITY) or {}).get("account")

    # S3 -------------------------------------------------------------------------------------------

    @property
    def bucket(self) -> Optional[str]:
        origin = self.origin
        return origin.bucket if origin else None

    @property
    def key(self) -> Optional[str]:
        origin = self.origin
        if not origin or not origin.bucket:
            return None
        dist = self.distribution
        path = self.symptom.path
        root_object = path in ("", "/") and dist.default_root_object
        if origin.kind == "s3-website" and path.endswith("/") and not root_object:
            # Website endpoints serve the index document for a folder path.
            website = self.website
            return dist.key_for(path + ((website.index if website else None) or "index.html"), origin)
        return dist.key_for(path, origin)

    @property
    def bucket_policy(self) -> Optional[m.PolicyDocument]:
        return self.reading(BUCKET_POLICY, m.bucket_policy)

    @property
    def cors_rules(self) -> Optional[List[Mapping[str, Any]]]:
        """The bucket's CORS rules (None when it has none or they were not read)."""
        return (self.data(BUCKET_CORS) or {}).get("rules")

    @property
    def website(self) -> Optional[m.Website]:
        return self.reading(BUCKET_WEBSITE, m.Website.from_data)

    @property
    def object_head(self) -> Optional[m.ObjectHead]:
        return self.reading(OBJECT, m.ObjectHead.from_data)

    @property
    def object_acl(self) -> Optional[m.ObjectAcl]:
        return self.reading(OBJECT_ACL, m.ObjectAcl.from_data)

    @property
    def encryption(self) -> Optional[m.ObjectEncryption]:
        return self.reading(ENCRYPTION, m.ObjectEncryption.from_data)

    @property
    def public_access(self) -> Optional[m.PublicAccess]:
        return self.reading(PUBLIC_ACCESS, m.PublicAccess.from_data)

    @property
    def requester_pays(self) -> bool:
        return (self.data(REQUEST_PAYMENT) or {}).get("payer") == "Requester"

    @property
    def object_missing(self) -> bool:
        """True only when the object is known not to exist."""
        head = self.object_head
        return head is not None and head.exists is False
