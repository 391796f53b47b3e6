"""Provides SiteState: an in-memory stand-in for the lab's LabView reads of one bucket, so the S3
simulator's decision code can be run against a golden case without a lab (the e2e scenarios run it
against moto)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

OWNER = "canonical-owner-0000"
OTHER = "canonical-other-1111"


@dataclass
class SiteState:
    """One bucket as S3 holds it: objects (key -> extra head fields), policy, settings."""

    bucket: str = "docs-bucket"
    objects: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    policy: Optional[str] = None
    index: Optional[str] = "index.html"
    error_document: Optional[str] = None
    payer: str = "BucketOwner"
    pab: Dict[str, bool] = field(default_factory=dict)
    object_ownership: Optional[str] = None  # BucketOwnerEnforced | BucketOwnerPreferred | ObjectWriter
    object_owner: Dict[str, str] = field(default_factory=dict)  # key -> canonical id (default OWNER)

    # the LabView reads the S3 simulator makes
    def bucket_exists(self, bucket: str) -> bool:
        return bucket == self.bucket

    def website_index(self, bucket: str) -> Optional[str]:
        return self.index

    def website_error_document(self, bucket: str) -> Optional[str]:
        return self.error_document

    def request_payer(self, bucket: str) -> str:
        return self.payer

    def bucket_policy(self, bucket: str) -> Optional[str]:
        return self.policy

    def public_access_block(self, bucket: str, account: Optional[str]) -> Dict[str, bool]:
        return dict(self.pab)

    def head(self, bucket: str, key: str) -> Optional[Dict[str, Any]]:
        if key not in self.objects:
            return None
        return {"ContentType": "text/html", "ETag": '"e"', "LastModified": datetime.datetime(2025, 1, 1),
                **self.objects[key]}

    def body(self, bucket: str, key: str) -> bytes:
        return key.encode()

    def object_acl(self, bucket: str, key: str) -> Optional[Dict[str, Any]]:
        owner = self.object_owner.get(key, OWNER)
        return {"Owner": {"ID": owner}, "Grants": [{"Grantee": {"ID": owner}, "Permission": "FULL_CONTROL"}]}

    def bucket_owner(self, bucket: str) -> str:
        return OWNER

    def ownership(self, bucket: str) -> Optional[str]:
        return self.object_ownership

    def key_policy(self, key_id: str) -> Optional[str]:
        return None

    def organization(self) -> Optional[Dict[str, Any]]:
        return None

    def cors_rules(self, bucket: str) -> Optional[List[Dict[str, Any]]]:
        return None

    def oai(self, oai_id: str) -> Optional[Dict[str, Any]]:
        return None
