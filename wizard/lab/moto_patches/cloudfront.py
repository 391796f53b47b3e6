"""Provides the CloudFront distribution and origin access identity patches.

moto 5.2.5 keeps a distribution's skeleton but drops the fields a 403 diagnosis turns on (which
origin uses OAC, which OAI, which certificate) and has no OAI API at all. Each patch below says
what moto does and what real CloudFront returns instead.
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from ..identity import oai_canonical_id
from ._common import add_routes, cloudfront_domain, cloudfront_id, install, wrap

OAI_PATH = "origin-access-identity/cloudfront/"
_API = "https://cloudfront.amazonaws.com/2020-05-31"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def error(code: str, message: str) -> Exception:
    """A CloudFront service error (the HTTP status comes from botocore's model for `code`)."""
    from moto.cloudfront.exceptions import CloudFrontException

    return CloudFrontException(code, message)


def check_if_match(if_match: Optional[str], etag: str) -> None:
    """Refuse an update or delete whose IfMatch is missing or stale."""
    # CloudFront: a missing IfMatch is InvalidIfMatchVersion (400), a stale one PreconditionFailed
    # (412). moto accepts any value, so scenario code that forgets the ETag would pass in the lab.
    if not if_match:
        raise error("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.")
    if if_match != etag:
        raise error("PreconditionFailed",
                    "The precondition given in one or more of the request-header fields evaluated to false.")


# --- 1. Origins keep S3OriginConfig and OriginAccessControlId --------------------------------

def patch_origins() -> None:
    """Keep each origin's `S3OriginConfig` and `OriginAccessControlId`.

    Replaces: moto's `Origin` stores the OAI path in an attribute the serializer never reads and
    ignores `OriginAccessControlId`, so an OAC origin, an OAI origin and an open S3 origin all come
    back identical. Real CloudFront returns both fields (`OriginAccessControlId` is "" when unset)
    and refuses an origin that sets both (IllegalOriginAccessConfiguration).
    """
    from moto.cloudfront import models

    def make(original):
        def __init__(self, origin: Dict[str, Any]) -> None:
            oai = ((origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or "")
            if oai and origin.get("OriginAccessControlId"):
                raise error("IllegalOriginAccessConfiguration",
                            "An origin cannot contain both an origin access control (OAC) and an origin "
                            "access identity (OAI).")
            original(self, origin)
            if "S3OriginConfig" in origin:
                config = {"OriginAccessIdentity": oai}
                if (origin["S3OriginConfig"] or {}).get("OriginReadTimeout") is not None:
                    config["OriginReadTimeout"] = origin["S3OriginConfig"]["OriginReadTimeout"]
                self.s3_origin_config = config
            self.origin_access_control_id = origin.get("OriginAccessControlId") or ""
        return __init__

    wrap(models.Origin, "__init__", make)


# --- 2. ViewerCertificate round-trips ----------------------------------------------------------

def patch_viewer_certificate() -> None:
    """Return an ACM or IAM certificate as it was set.

    Replaces: moto always answers CloudFrontDefaultCertificate=true and CertificateSource=cloudfront,
    so an alias served with an ACM certificate looks like one served with *.cloudfront.net. Real
    CloudFront returns CloudFrontDefaultCertificate=false, the ARN (also in `Certificate`), the
    SSL support method, the minimum protocol version and CertificateSource=acm (or iam).
    """
    from moto.cloudfront import models

    def make(original):
        def __init__(self, config: Dict[str, Any]) -> None:
            original(self, config)
            if self.acm_certificate_arn or self.iam_certificate_id:
                self.cloud_front_default_certificate = False
                self.certificate_source = "acm" if self.acm_certificate_arn else "iam"
                self.certificate = self.acm_certificate_arn or self.iam_certificate_id
            # moto sends both id fields as "" when unset; CloudFront leaves the unused one out.
            self.acm_certificate_arn = self.acm_certificate_arn or None
            self.iam_certificate_id = self.iam_certificate_id or None
        return __init__

    wrap(models.ViewerCertificate, "__init__", make)


# --- 3. Real-looking ids, ETags that change, LastModifiedTime ----------------------------------

def patch_distribution_ids() -> None:
    """Give distributions (and origin access controls) real-looking ids and a real ETag life cycle.

    Replaces: moto's Id starts with any letter (`GAA8OPU7D5BNX`) and its domain with any letter
    (`z2f7...cloudfront.net`), so fixtures do not look like AWS and code that recognises `E...` /
    `d....cloudfront.net` cannot be exercised. AWS ids are "E" + 13 characters, domains "d" + 13
    lower-case characters. The ids come from moto's seeded generator (`/moto-api/seed`), so a
    seeded rebuild gives the same ids. moto also never changes the ETag and accepts any IfMatch;
    CloudFront issues a new ETag on every update and refuses a stale IfMatch (412).
    LastModifiedTime was hard-coded to 2021; it is now the time of the last create or update.
    """
    from moto.cloudfront import models
    from moto.utilities.utils import get_partition

    def make_init(original):
        def __init__(self, account_id: str, region_name: str, config: Dict[str, Any]) -> None:
            original(self, account_id, region_name, config)
            self.distribution_id = self.id = cloudfront_id()
            self.arn = f"arn:{get_partition(region_name)}:cloudfront::{account_id}:distribution/{self.id}"
            self.domain_name = cloudfront_domain()
            self.etag = cloudfront_id()
            self.last_modified_time = _now()
        return __init__

    def make_update(original):
        def update_distribution(self, dist_config, _id, if_match):
            dist = self.distributions.get(_id)
            if dist is not None:
                check_if_match(if_match, dist.etag)
            dist, location, _ = original(self, dist_config, _id, if_match)
            dist.etag = cloudfront_id()
            dist.last_modified_time = _now()
            return dist, location, dist.etag
        return update_distribution

    def make_delete(original):
        def delete_distribution(self, distribution_id, if_match):
            dist = self.distributions.get(distribution_id)
            if dist is not None:
                check_if_match(if_match, dist.etag)
            return original(self, distribution_id, if_match)
        return delete_distribution

    def make_oac_init(original):
        def __init__(self, config_dict):
            original(self, config_dict)
            self.id = cloudfront_id()
            self.etag = cloudfront_id()
        return __init__

    wrap(models.Distribution, "__init__", make_init)
    wrap(models.OriginAccessControl, "__init__", make_oac_init)
    wrap(models.CloudFrontBackend, "update_distribution", make_update)
    wrap(models.CloudFrontBackend, "delete_distribution", make_delete)


def patch_cache_behavior_legacy_fields() -> None:
    """Leave out the legacy ForwardedValues and TTLs when a behavior uses a cache policy.

    Replaces: moto adds `ForwardedValues` (no headers) and TTLs of 0 to every behavior. CloudFront
    returns those legacy fields only for behaviors without a CachePolicyId; with a policy they are
    absent. A reader that falls back to ForwardedValues would otherwise see "forwards nothing".
    """
    from moto.cloudfront import models

    def make(original):
        def __init__(self, config: Dict[str, Any]) -> None:
            original(self, config)
            if config.get("CachePolicyId"):
                for name in ("forwarded_values", "min_ttl", "default_ttl", "max_ttl"):
                    self.__dict__.pop(name, None)
        return __init__

    wrap(models.DefaultCacheBehaviour, "__init__", make)


# --- 4. Origin access identities (moto has no routes) -----------------------------------------

class _OriginAccessIdentity:
    """One OAI as CloudFront keeps it."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.id = cloudfront_id()
        self.s3_canonical_user_id = oai_canonical_id(self.id)
        self.config = {"CallerReference": config.get("CallerReference", ""), "Comment": config.get("Comment", "")}
        self.etag = cloudfront_id()

    def shape(self) -> Dict[str, Any]:
        return {"Id": self.id, "S3CanonicalUserId": self.s3_canonical_user_id,
                "CloudFrontOriginAccessIdentityConfig": dict(self.config)}

    def summary(self) -> Dict[str, Any]:
        return {"Id": self.id, "S3CanonicalUserId": self.s3_canonical_user_id, "Comment": self.config["Comment"]}


def oais_of(backend) -> Dict[str, _OriginAccessIdentity]:
    """The OAIs of one account (its CloudFront backend)."""
    # Kept on the per-account backend object: moto's reset replaces its __dict__, so the OAIs go too.
    return backend.__dict__.setdefault("lab_origin_access_identities", {})


def _oai(backend, oai_id: str) -> _OriginAccessIdentity:
    found = oais_of(backend).get(oai_id)
    if found is None:
        raise error("NoSuchCloudFrontOriginAccessIdentity", "The specified origin access identity does not exist.")
    return found


def _oai_in_use(backend, oai_id: str) -> bool:
    for dist in backend.distributions.values():
        for origin in dist.distribution_config.Origins.get("Items") or []:
            path = (getattr(origin, "s3_origin_config", None) or {}).get("OriginAccessIdentity", "")
            if path == OAI_PATH + oai_id:
                return True
    return False


def patch_origin_access_identities() -> None:
    """Serve the CloudFront OAI API: create, get, get config, list, update, delete.

    Replaces: moto has no route for /origin-access-identity/cloudfront, so every call is a 404 and
    the seed-004 story (an S3 origin reached through an OAI) cannot be built. Ids look like AWS's
    ("E" + 13), S3CanonicalUserId is `identity.oai_canonical_id(Id)`, ETags change on update, and
    IfMatch is enforced. Deleting an OAI that an origin still uses fails (409), as on AWS.
    """
    from moto.cloudfront import responses, urls
    from moto.core.responses import ActionResult, EmptyResult

    base = "{0}/2020-05-31/origin-access-identity/cloudfront"
    add_routes(urls, responses.CloudFrontResponse.dispatch,
               {base + "$": None, base + "/(?P<oai_id>[^/]+)$": None, base + "/(?P<oai_id>[^/]+)/config$": None})

    def create_cloud_front_origin_access_identity(self):
        config = self._get_param("CloudFrontOriginAccessIdentityConfig", {}) or {}
        store = oais_of(self.backend)
        if any(o.config["CallerReference"] == config.get("CallerReference") for o in store.values()):
            raise error("CloudFrontOriginAccessIdentityAlreadyExists",
                        "If the CallerReference is a value you already sent in a previous request to create an "
                        "identity but the content of the CloudFrontOriginAccessIdentityConfig is different from "
                        "the original request, CloudFront returns a CloudFrontOriginAccessIdentityAlreadyExists error.")
        oai = _OriginAccessIdentity(config)
        store[oai.id] = oai
        return ActionResult({"CloudFrontOriginAccessIdentity": oai.shape(), "ETag": oai.etag,
                             "Location": f"{_API}/origin-access-identity/cloudfront/{oai.id}"})

    def get_cloud_front_origin_access_identity(self):
        oai = _oai(self.backend, self._get_param("Id"))
        return ActionResult({"CloudFrontOriginAccessIdentity": oai.shape(), "ETag": oai.etag})

    def get_cloud_front_origin_access_identity_config(self):
        oai = _oai(self.backend, self._get_param("Id"))
        return ActionResult({"CloudFrontOriginAccessIdentityConfig": dict(oai.config), "ETag": oai.etag})

    def list_cloud_front_origin_access_identities(self):
        items: List[Dict[str, Any]] = [o.summary() for o in oais_of(self.backend).values()]
        max_items = self._get_int_param("MaxItems") or 100
        return ActionResult({"CloudFrontOriginAccessIdentityList": {
            "Marker": self._get_param("Marker") or "", "MaxItems": max_items, "IsTruncated": False,
            "Quantity": len(items), "Items": items or None}})

    def update_cloud_front_origin_access_identity(self):
        oai = _oai(self.backend, self._get_param("Id"))
        check_if_match(self._get_param("IfMatch"), oai.etag)
        config = self._get_param("CloudFrontOriginAccessIdentityConfig", {}) or {}
        if config.get("CallerReference") not in (None, oai.config["CallerReference"]):
            raise error("IllegalUpdate", "The update contains modifications that are not allowed.")
        oai.config["Comment"] = config.get("Comment", oai.config["Comment"])
        oai.etag = cloudfront_id()
        return ActionResult({"CloudFrontOriginAccessIdentity": oai.shape(), "ETag": oai.etag})

    def delete_cloud_front_origin_access_identity(self):
        oai_id = self._get_param("Id")
        oai = _oai(self.backend, oai_id)
        check_if_match(self._get_param("IfMatch"), oai.etag)
        if _oai_in_use(self.backend, oai_id):
            raise error("CloudFrontOriginAccessIdentityInUse",
                        "The Origin Access Identity specified is already in use.")
        del oais_of(self.backend)[oai_id]
        return EmptyResult()

    cls = responses.CloudFrontResponse
    for fn in (create_cloud_front_origin_access_identity, get_cloud_front_origin_access_identity,
               get_cloud_front_origin_access_identity_config, list_cloud_front_origin_access_identities,
               update_cloud_front_origin_access_identity, delete_cloud_front_origin_access_identity):
        install(cls, fn.__name__, fn)


def patch_origin_access_control_config() -> None:
    """Serve get_origin_access_control_config.

    Replaces: moto routes the URL but raises NotImplementedError (a 500). CloudFront returns the
    OAC's config and ETag, the same data get_origin_access_control returns.
    """
    from moto.cloudfront import responses
    from moto.core.responses import ActionResult

    def get_origin_access_control_config(self):
        control = self.backend.get_origin_access_control(self._get_param("Id"))
        return ActionResult({"OriginAccessControlConfig": control, "ETag": control.etag})

    install(responses.CloudFrontResponse, "get_origin_access_control_config", get_origin_access_control_config)


def apply() -> None:
    """Apply every CloudFront distribution and OAI patch (idempotent)."""
    patch_origins()
    patch_viewer_certificate()
    patch_distribution_ids()
    patch_cache_behavior_legacy_fields()
    patch_origin_access_identities()
    patch_origin_access_control_config()
