"""Provides the typed facts checks read: small frozen dataclasses for a distribution, its matched
behavior and origin, the bucket policy, the object (head, ACL, encryption), Block Public Access,
the behavior's policies and the web ACL, each with the one converter that builds
it from a probe's plain data (the load balancer and its network: wizard.aws.network_models).

Probes return plain JSON data (that is what journals keep and `resume` replays); these converters
turn that data into models when the facts are read, so old journals give the same models. Pure: no
boto3 here, so the engine and the checks import it freely (tests/test_import_hygiene.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Tuple

from ..analysis.s3 import bucket_policy as bp
from ..analysis.s3 import policy_document as pd
from ..analysis.edge import cloudfront_config as cfc
from ..analysis.edge import origin_groups


def _strs(value: Any) -> Tuple[str, ...]:
    """A policy value (one string or a list) as strings."""
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _port(value: Any, default: int) -> int:
    try:
        return int(value or default)
    except (TypeError, ValueError):
        return default


def _items(container: Any) -> List[Any]:
    return list((container or {}).get("Items") or []) if isinstance(container, Mapping) else []


# CloudFront ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin(cfc.OriginInfo):
    """The origin a behavior sends to: its kind (S3 REST / website / ALB / custom), how CloudFront
    signs in (OAC / OAI ids), the headers it adds, and how it speaks to a custom origin."""

    protocol_policy: str = ""  # CustomOriginConfig.OriginProtocolPolicy ("" for S3 REST origins)
    http_port: int = 80
    https_port: int = 443
    # The load balancer DNS name a custom name (origin.example.com) leads to through Route 53, when
    # it does (wizard/aws/origin_dns.py); `domain` stays the name CloudFront connects to.
    load_balancer_dns: Optional[str] = None

    def header(self, name: str) -> Optional[str]:
        """The value of a custom header CloudFront adds to origin requests (any case), or None."""
        return next((v for k, v in self.custom_headers.items() if k.lower() == name.lower()), None)

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any], dns: Optional[Mapping[str, Any]] = None) -> "Origin":
        """From the DistributionConfig's origin and, for a custom name, where Route 53 sends it."""
        info = vars(cfc.classify_origin(raw))
        custom = info["custom_config"]
        lb_dns = None
        if info["kind"] == "custom" and (dns or {}).get("kind") == "alb" and (dns or {}).get("target"):
            info["kind"], lb_dns = "alb", str(dns["target"])  # type: ignore[index]
        return cls(**info, protocol_policy=str(custom.get("OriginProtocolPolicy") or ""),
                   http_port=_port(custom.get("HTTPPort"), 80), https_port=_port(custom.get("HTTPSPort"), 443),
                   load_balancer_dns=lb_dns)


@dataclass(frozen=True)
class Behavior:
    """The cache behavior CloudFront applies to the URL's path."""

    path_pattern: str  # "Default (*)" for the default behavior
    target_origin_id: str
    viewer_protocol_policy: str
    key_groups: Tuple[str, ...]  # trusted key group ids (signed URLs / cookies)
    signed: bool  # trusted key groups or trusted signers are enabled: requests must be signed
    cache_policy_id: Optional[str]
    origin_request_policy_id: Optional[str]
    response_headers_policy_id: Optional[str]
    raw: Mapping[str, Any] = field(repr=False)  # the legacy ForwardedValues and the probe's policy ids

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "Behavior":
        groups = raw.get("TrustedKeyGroups") or {}
        signers = raw.get("TrustedSigners") or {}
        return cls(
            path_pattern=str(raw.get("PathPattern", "Default (*)")),
            target_origin_id=str(raw.get("TargetOriginId", "")),
            viewer_protocol_policy=str(raw.get("ViewerProtocolPolicy") or ""),
            key_groups=tuple(str(g) for g in _items(groups)),
            signed=bool(groups.get("Enabled") or signers.get("Enabled")),
            cache_policy_id=raw.get("CachePolicyId") or None,
            origin_request_policy_id=raw.get("OriginRequestPolicyId") or None,
            response_headers_policy_id=raw.get("ResponseHeadersPolicyId") or None,
            raw=dict(raw),
        )


@dataclass(frozen=True)
class Distribution:
    """The distribution that serves the host, and how it was found (domain, alias or a DNS record)."""

    id: str
    arn: str
    domain: str
    aliases: Tuple[str, ...]
    matched_by: str  # "domain" | "alias" | "dns"
    web_acl_id: str
    default_root_object: str
    geo_restriction: str  # "none" | "whitelist" | "blacklist"
    geo_countries: Tuple[str, ...]
    certificate: Optional[str]  # the ACM certificate ARN or IAM certificate id, None for the default
    logging_bucket: Optional[str]  # standard logging's bucket when logging is on
    logging_prefix: str
    config: Mapping[str, Any] = field(repr=False)  # the DistributionConfig, for the analyses that read it
    origin_dns: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)  # by origin id

    @property
    def account(self) -> Optional[str]:
        return (self.arn.split(":")[4] or None) if self.arn.count(":") >= 4 else None

    def behavior_for(self, path: str) -> Behavior:
        """The behavior CloudFront applies to `path` (first matching pattern, else the default)."""
        return Behavior.from_raw(cfc.match_behavior(self.config, path))

    def raw_origin(self, origin_id: str) -> Optional[Mapping[str, Any]]:
        return cfc.origin_by_id(self.config, origin_id)

    def origin_for(self, behavior: Behavior) -> Optional[Origin]:
        """The origin the behavior targets (an origin group's primary member), or None when its id dangles."""
        raw = self.raw_origin(behavior.target_origin_id)
        group = None if raw else origin_groups.group_for(self.config, behavior.target_origin_id)
        origin_id = behavior.target_origin_id
        if group and group.primary:  # an origin group: requests go to its primary first
            raw = self.raw_origin(group.primary)
            origin_id = group.primary
        return Origin.from_raw(raw, self.origin_dns.get(origin_id)) if raw else None

    def origins(self) -> List[Origin]:
        return [Origin.from_raw(o, self.origin_dns.get(str(o.get("Id", ""))))
                for o in _items(self.config.get("Origins"))]

    def key_for(self, path: str, origin: Origin) -> str:
        """The object key CloudFront asks an S3 origin for."""
        return cfc.s3_key_for(path, self.config, origin)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Optional["Distribution"]:
        """From the aws.distribution probe's data; None when no distribution was found."""
        if not data or not data.get("found"):
            return None
        config = data.get("config") or {}
        geo = (config.get("Restrictions") or {}).get("GeoRestriction") or {}
        cert = config.get("ViewerCertificate") or {}
        logging = config.get("Logging") or {}
        on = bool(logging.get("Enabled") and logging.get("Bucket"))
        return cls(
            id=str(data.get("id") or ""), arn=str(data.get("arn") or ""), domain=str(data.get("domain") or ""),
            aliases=tuple(str(a) for a in data.get("aliases") or ()), matched_by=str(data.get("matched_by") or ""),
            web_acl_id=str(config.get("WebACLId") or ""),
            default_root_object=str(config.get("DefaultRootObject") or ""),
            geo_restriction=str(geo.get("RestrictionType", "none")),
            geo_countries=tuple(str(c) for c in geo.get("Items") or ()),
            certificate=cert.get("ACMCertificateArn") or cert.get("IAMCertificateId") or None,
            logging_bucket=str(logging["Bucket"]) if on else None,
            logging_prefix=str(logging.get("Prefix") or "") if on else "",
            config=config,
            origin_dns=dict(data.get("origin_dns") or {}),
        )


@dataclass(frozen=True)
class OriginAccess:
    """The origin's OAC configuration or OAI identity, as the aws.origin_access probe read it."""

    oac: Optional[Mapping[str, Any]]
    oai_id: Optional[str]
    oai_canonical_user: str  # the OAI's S3 canonical user id ("" when unknown)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "OriginAccess":
        oai = data.get("oai") or {}
        return cls(data.get("oac"), oai.get("Id"), str(oai.get("S3CanonicalUserId") or ""))


@dataclass(frozen=True)
class OriginPolicies:
    """The behavior's origin request, cache and response headers policies (None where unset)."""

    origin_request: Optional[Mapping[str, Any]]
    cache: Optional[Mapping[str, Any]]
    response_headers: Optional[Mapping[str, Any]]

    @property
    def origin_request_name(self) -> Optional[str]:
        return ((self.origin_request or {}).get("OriginRequestPolicyConfig") or {}).get("Name") or None

    @property
    def cache_name(self) -> Optional[str]:
        return ((self.cache or {}).get("CachePolicyConfig") or {}).get("Name") or None

    @property
    def cache_key_headers(self) -> Tuple[str, ...]:
        """The headers the cache policy puts in the cache key (and so forwards), when it names them."""
        params = ((self.cache or {}).get("CachePolicyConfig") or {}).get("ParametersInCacheKeyAndForwardedToOrigin") or {}
        headers = params.get("HeadersConfig") or {}
        if headers.get("HeaderBehavior") != "whitelist":
            return ()
        return tuple(_items(headers.get("Headers")))

    @property
    def cors_allow_origins(self) -> Optional[Tuple[str, ...]]:
        """The origins the response headers policy's CORS configuration allows; None without one."""
        cors = ((self.response_headers or {}).get("ResponseHeadersPolicyConfig") or {}).get("CorsConfig") or {}
        if not cors:
            return None
        return tuple(_items(cors.get("AccessControlAllowOrigins")))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "OriginPolicies":
        return cls(data.get("origin_request_policy"), data.get("cache_policy"), data.get("response_headers_policy"))


def header_value(headers: Any, name: str) -> Optional[str]:
    """A header's value from WAF's [{Name, Value}] list or a {name: value} mapping (any case)."""
    pairs = headers.items() if isinstance(headers, Mapping) else (
        (h.get("Name"), h.get("Value")) for h in headers or [] if isinstance(h, Mapping))
    return next((str(v) for k, v in pairs if str(k).lower() == name.lower()), None)


@dataclass(frozen=True)
class WafRule:
    """A rule or rule group of a web ACL, in the order WAF runs them."""

    name: str
    blocks: bool  # a Block action, or a rule group whose own actions apply (OverrideAction None)
    metric: Optional[str]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "WafRule":
        blocks = "Block" in (raw.get("Action") or {}) or "None" in (raw.get("OverrideAction") or {})
        return cls(str(raw.get("Name")), blocks, (raw.get("VisibilityConfig") or {}).get("MetricName"))


@dataclass(frozen=True)
class WafSample:
    """One request WAF sampled, and what ended it."""

    action: str
    rule: str  # the terminating rule, or "Default_Action"
    rule_in_group: Optional[str]
    metric: str
    timestamp: str
    uri: Optional[str]
    client_ip: str
    country: str
    user_agent: Optional[str]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> "WafSample":
        request = raw.get("Request") or {}
        rule = raw.get("RuleName") or "Default_Action"
        return cls(str(raw.get("Action") or ""), rule, raw.get("RuleNameWithinRuleGroup") or None,
                   raw.get("RuleMetricName") or rule, str(raw.get("Timestamp") or ""), request.get("URI"),
                   str(request.get("ClientIP", "?")), str(request.get("Country", "?")),
                   header_value(request.get("Headers"), "user-agent"))


@dataclass(frozen=True)
class WebAcl:
    """The distribution's web ACL (None fields when it could not be read) and its sampled requests."""

    name: Optional[str]
    read: bool  # the web ACL itself was read
    rules: Tuple[WafRule, ...]  # Firewall Manager's first rule groups, the ACL's by priority, then its last
    default_blocks: bool
    metric: Optional[str]  # the web ACL's own metric (its default action's)
    samples: Tuple[WafSample, ...]
    sampling_off: Tuple[str, ...]  # rules whose sampled requests are turned off
    sampled_error: Optional[str]
    window: Tuple[str, str]  # the sampling window WAF reported (start, end), ("", "") when unknown

    @property
    def blocked_samples(self) -> List[WafSample]:
        return [s for s in self.samples if s.action == "BLOCK"]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "WebAcl":
        acl = data.get("web_acl") or {}
        rules = (list(acl.get("PreProcessFirewallManagerRuleGroups") or [])
                 + sorted(acl.get("Rules") or [], key=lambda r: r.get("Priority", 0))
                 + list(acl.get("PostProcessFirewallManagerRuleGroups") or []))
        window = data.get("window") or {}
        return cls(acl.get("Name") or None, bool(acl), tuple(WafRule.from_raw(r) for r in rules),
                   (acl.get("DefaultAction") or {}).get("Block") is not None,
                   (acl.get("VisibilityConfig") or {}).get("MetricName") or None,
                   tuple(WafSample.from_raw(s) for s in data.get("sampled") or []),
                   tuple(str(o) for o in data.get("sampling_off") or ()), data.get("sampled_error") or None,
                   (str(window["StartTime"]), str(window.get("EndTime", "?"))) if window.get("StartTime") else ("", ""))


# S3 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyStatement:
    """One statement of a policy document as written (read leniently: the evaluator judges it)."""

    index: int
    sid: str
    effect: str
    principal: Any  # "*" or {"AWS": ..., "Service": ..., "CanonicalUser": ...}
    conditions: Tuple[Tuple[str, str, Tuple[str, ...]], ...]  # (operator, key, values)
    raw: Mapping[str, Any] = field(repr=False)  # as written, for evaluating the statement on its own

    @property
    def name(self) -> str:
        """The Sid, or the statement's position when it has none."""
        return self.sid or f"#{self.index + 1}"

    def condition_values(self, key: str) -> List[Tuple[str, str]]:
        """(operator, value) for each value the statement tests `key` against (key in any case)."""
        return [(op, v) for op, k, values in self.conditions if k.lower() == key.lower() for v in values]

    def _principals(self, kind: str) -> Tuple[str, ...]:
        return _strs(self.principal.get(kind)) if isinstance(self.principal, Mapping) else ()

    @property
    def grants_cloudfront_service(self) -> bool:
        return bp.CLOUDFRONT_SERVICE in self._principals("Service")

    @property
    def granted_oais(self) -> List[str]:
        """The OAIs the statement names: their ids, or a short canonical user id."""
        found = [v[len(pd.OAI_ARN_PREFIX):] for v in self._principals("AWS") if v.startswith(pd.OAI_ARN_PREFIX)]
        return found + [f"canonical user {v[:12]}…" for v in self._principals("CanonicalUser")]

    @property
    def source_arns(self) -> List[str]:
        return [v for _, v in self.condition_values("aws:SourceArn")]

    @classmethod
    def from_raw(cls, index: int, raw: Mapping[str, Any]) -> "PolicyStatement":
        conditions = []
        for operator, block in (raw.get("Condition") or {}).items() if isinstance(raw.get("Condition"), Mapping) else ():
            for key, value in block.items() if isinstance(block, Mapping) else ():
                conditions.append((str(operator), str(key), _strs(value)))
        sid = raw.get("Sid")
        return cls(index, sid if isinstance(sid, str) else "", str(raw.get("Effect") or ""),
                   raw.get("Principal"), tuple(conditions), raw)


@dataclass(frozen=True)
class PolicyDocument:
    """A resource policy, parsed once: its text, the document when the evaluator accepts it (else
    `error` says why not), and its statements as written (read even when the shape is wrong, so the
    secrets in it are still known)."""

    text: Optional[str]
    document: Optional[Mapping[str, Any]]
    error: Optional[str]
    statements: Tuple[PolicyStatement, ...]

    @property
    def exists(self) -> bool:
        return bool(self.text)

    def referer_values(self) -> List[str]:
        """Every aws:Referer value the policy tests (secrets: the redactor hides them)."""
        return [v for st in self.statements for _, v in st.condition_values("aws:Referer")]

    @classmethod
    def parse(cls, text: Any) -> "PolicyDocument":
        if not text:
            return cls(None, None, None, ())
        document: Optional[Mapping[str, Any]] = None
        error: Optional[str] = None
        try:
            document = pd.parse_policy(text)
        except pd.PolicyError as exc:
            error = str(exc)
        raw = document
        if raw is None:
            try:
                raw = json.loads(text) if isinstance(text, (str, bytes)) else text
            except (ValueError, RecursionError):
                raw = None
        found = raw.get("Statement") if isinstance(raw, Mapping) else None
        items = [found] if isinstance(found, Mapping) else list(found) if isinstance(found, list) else []
        statements = tuple(PolicyStatement.from_raw(i, s) for i, s in enumerate(items) if isinstance(s, Mapping))
        return cls(text if isinstance(text, str) else json.dumps(text), document, error, statements)


def bucket_policy(data: Mapping[str, Any]) -> PolicyDocument:
    """From the aws.bucket_policy probe's data ({"policy": text or None})."""
    return PolicyDocument.parse(data.get("policy"))


@dataclass(frozen=True)
class ObjectHead:
    """Does the key exist (None: could not tell), and, when it does not, the keys nearest to it."""

    key: str
    exists: Optional[bool]
    owner: Optional[str]  # canonical id, when a listing (FetchOwner) found the key
    sse: Optional[str]  # ServerSideEncryption from head-object: "AES256", "aws:kms", ...
    kms_key_id: Optional[str]
    case_matches: Tuple[str, ...]  # keys that differ only in case
    nearby: Tuple[str, ...]
    listed: bool  # the key's folder was listed and compared
    case_unchecked: Optional[str]  # why the folder could not all be compared (incomplete), else None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ObjectHead":
        head = data.get("head") or {}
        return cls(str(data.get("key") or ""), data.get("exists"), data.get("owner"),
                   head.get("ServerSideEncryption"), head.get("SSEKMSKeyId"),
                   tuple(data.get("case_matches") or ()), tuple(data.get("nearby") or ()),
                   bool(data.get("listed")), data.get("case_unchecked") or None)


@dataclass(frozen=True)
class Grant:
    """One ACL grant: a canonical user id or a group URI, and the permission."""

    grantee: str
    permission: str


@dataclass(frozen=True)
class ObjectAcl:
    """Who owns the object and the bucket, Object Ownership, and the object's ACL (None: unreadable)."""

    object_owner: Optional[str]
    bucket_owner: Optional[str]
    ownership: Optional[str]  # "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter" or None
    public_read: bool
    grants: Optional[Tuple[Grant, ...]]
    acl_error: Optional[str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ObjectAcl":
        grants = data.get("grants")
        return cls(data.get("object_owner"), data.get("bucket_owner"), data.get("ownership"),
                   bool(data.get("object_public_read")),
                   None if grants is None else tuple(Grant(str(g.get("grantee") or ""), str(g.get("permission") or ""))
                                                     for g in grants),
                   data.get("acl_error") or None)


@dataclass(frozen=True)
class ObjectEncryption:
    """How the object is encrypted and, for SSE-KMS, the key's policy (None: not read, see the error)."""

    sse: Optional[str]
    kms_key_id: Optional[str]
    key_policy: Optional[str]
    key_policy_error: Optional[str]
    key_manager: Optional[str] = None  # DescribeKey's KeyManager: "AWS" (e.g. aws/s3) or "CUSTOMER"
    key_account: Optional[str] = None
    key_alias: Optional[str] = None  # ListAliases: what people call the key (alias/assets); None: unknown

    @property
    def key_name(self) -> Optional[str]:
        """The key as people name it: "alias/assets (arn:...:key/1234...)", or the key id alone
        when its alias is unknown (ListAliases refused, none set, another account's key)."""
        if self.key_alias and self.kms_key_id and self.key_alias not in self.kms_key_id:
            return f"{self.key_alias} ({self.kms_key_id})"
        return self.kms_key_id

    @property
    def is_kms(self) -> bool:
        """SSE-KMS or DSSE-KMS: a KMS key must decrypt the object."""
        return self.sse in ("aws:kms", "aws:kms:dsse")

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "ObjectEncryption":
        return cls(data.get("sse"), data.get("kms_key_id"), data.get("key_policy"), data.get("key_policy_error"),
                   data.get("key_manager"), data.get("key_account"), data.get("key_alias"))


@dataclass(frozen=True)
class PublicAccess:
    """Block Public Access at the bucket and the account level (None where not configured)."""

    bucket: Optional[Mapping[str, Any]]
    account: Optional[Mapping[str, Any]]
    account_error: Optional[str]  # the account's settings could not be read

    def blocks(self, scope: str, setting: str) -> bool:
        """True when `setting` (e.g. RestrictPublicBuckets) is on at `scope` ("account" or "bucket")."""
        return bool((getattr(self, scope) or {}).get(setting))

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "PublicAccess":
        return cls(data.get("bucket"), data.get("account"), data.get("account_error") or None)


@dataclass(frozen=True)
class Website:
    """The bucket's website hosting: on or off, and its index document."""

    enabled: bool
    index: Optional[str]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Website":
        return cls(bool(data.get("enabled")), data.get("index") or None)
