"""Provides Symptom (what the user reports) and Facts (everything probes and answers have found),
with the derived readings every probe and check shares: the distribution, the matched behavior,
the origin, the S3 key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlsplit

from ..analysis.edge import cloudfront_config as cfc
from ..model import Hit, ProbeOutcome, Unknown


@dataclass(frozen=True)
class Symptom:
    """What the engineer brings: the failing URL, and the page that loads it (for CORS)."""

    url: str
    page_origin: Optional[str] = None
    page_url: Optional[str] = None
    complaint: Optional[str] = None  # "403" | "cors" | "504" | "other", when the user said

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        return urlsplit(self.url).query

    @property
    def cross_origin(self) -> bool:
        """True when the page origin differs from the asset's origin (the browser applies CORS)."""
        if not self.page_origin:
            return False
        a, b = urlsplit(self.url), urlsplit(self.page_origin)
        return (a.scheme, a.hostname, a.port) != (b.scheme, b.hostname, b.port)

    def as_dict(self) -> Dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Facts:
    """The probe outcomes and answers so far, with shared derived readings."""

    symptom: Symptom
    outcomes: Dict[str, ProbeOutcome] = field(default_factory=dict)
    answers: Dict[str, str] = field(default_factory=dict)
    # Hits raised by earlier check nodes: later checks (stale cache) need to know if any were found.
    hits: List[Hit] = field(default_factory=list)
    unknowns: List[Unknown] = field(default_factory=list)  # parts earlier checks could not check

    def data(self, probe: str) -> Any:
        """The probe's data when it succeeded, else None."""
        outcome = self.outcomes.get(probe)
        return outcome.data if outcome is not None and outcome.ok else None

    def status(self, probe: str) -> str:
        outcome = self.outcomes.get(probe)
        return outcome.status if outcome is not None else "not-run"

    def outcome(self, probe: str) -> Optional[ProbeOutcome]:
        return self.outcomes.get(probe)

    # Derived readings -------------------------------------------------------------------------

    @property
    def distribution(self) -> Optional[Mapping[str, Any]]:
        found = self.data("aws.distribution")
        return found if found and found.get("found") else None

    @property
    def config(self) -> Mapping[str, Any]:
        dist = self.distribution
        return (dist or {}).get("config") or {}

    @property
    def behavior(self) -> Optional[Mapping[str, Any]]:
        if not self.distribution:
            return None
        return cfc.match_behavior(self.config, self.symptom.path)

    @property
    def origin(self) -> Optional[cfc.OriginInfo]:
        behavior = self.behavior
        if not behavior:
            return None
        raw = cfc.origin_by_id(self.config, behavior.get("TargetOriginId", ""))
        return cfc.classify_origin(raw) if raw else None

    @property
    def origin_kind(self) -> str:
        origin = self.origin
        return origin.kind if origin else "unknown"

    @property
    def bucket(self) -> Optional[str]:
        origin = self.origin
        return origin.bucket if origin else None

    @property
    def key(self) -> Optional[str]:
        origin = self.origin
        if not origin or not origin.bucket:
            return None
        root_object = self.symptom.path in ("", "/") and self.config.get("DefaultRootObject")
        if origin.kind == "s3-website" and self.symptom.path.endswith("/") and not root_object:
            # Website endpoints serve the index document for a folder path.
            website = self.data("aws.bucket_website") or {}
            index = website.get("index") or "index.html"
            return cfc.s3_key_for(self.symptom.path + index, self.config, origin)
        return cfc.s3_key_for(self.symptom.path, self.config, origin)

    @property
    def account(self) -> Optional[str]:
        dist = self.distribution
        if dist and dist.get("arn"):
            return str(dist["arn"]).split(":")[4] or None
        ident = self.data("aws.identity") or {}
        return ident.get("account")
