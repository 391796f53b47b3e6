"""Provides the safety review of a fix: which of safety.yaml's rules the lab's state now breaks.

Pure: it reads a SafetyState (plain data gathered read-only by wizard/training/gather.py) and the
rules keyed by finding id in safety.yaml; it sends nothing. A part that could not be read makes its
rule unknown (said so), never a pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",
                 "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
OPEN_CIDRS = ("0.0.0.0/0", "::/0")
BPA_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
# Conditions that narrow a Principal "*" statement to callers one controls.
NARROWING_KEYS = ("aws:sourcearn", "aws:sourceaccount", "aws:sourcevpce", "aws:sourcevpc", "aws:principalorgid",
                  "aws:principalaccount", "aws:principalarn", "aws:sourceip", "aws:sourceorgid", "aws:userid",
                  "aws:referer")
CREDENTIAL_HEADERS = ("authorization", "cookie")


@dataclass
class SafetyState:
    """What the review reads. `None` for a part means it could not be read (its rules are unknown)."""

    origin_kind: str = "unknown"  # s3 | s3-website | custom | ...
    bucket: Optional[str] = None
    distribution_arn: Optional[str] = None
    uses_origin_access: bool = False  # the origin signs with an OAC or uses an OAI
    policy_read: bool = False
    policy: Optional[Mapping[str, Any]] = None  # the parsed policy; None with policy_read: no policy
    acl_grants: Optional[List[Mapping[str, str]]] = None  # [{"grantee": uri-or-id, "permission": ...}]
    bpa: Optional[Mapping[str, Any]] = None  # {"bucket": {...} or None}; None: not read
    cors_read: bool = False
    cors_rules: Optional[List[Mapping[str, Any]]] = None
    credentials_used: bool = False
    open_ingress: Optional[Set[Tuple[str, str, str]]] = None  # (role, group id, cidr); None: not read

    def as_dict(self) -> Dict[str, Any]:
        out = dict(self.__dict__)
        out["open_ingress"] = sorted(list(t) for t in self.open_ingress) if self.open_ingress is not None else None
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SafetyState":
        data = dict(data)
        if data.get("open_ingress") is not None:
            data["open_ingress"] = {tuple(t) for t in data["open_ingress"]}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Concern:
    """One rule the fix breaks (or that could not be checked: `unknown`)."""

    rule: str
    why: str
    unknown: bool = False


@dataclass
class SafetyRules:
    rules: Dict[str, str] = field(default_factory=dict)
    findings: Dict[str, List[str]] = field(default_factory=dict)

    def for_findings(self, ids: Iterable[str]) -> List[str]:
        out: List[str] = []
        for fid in ids:
            for rule in self.findings.get(fid, []):
                if rule not in out:
                    out.append(rule)
        return out


@lru_cache(maxsize=1)
def load_rules() -> SafetyRules:
    text = resources.files("wizard.training").joinpath("safety.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text) or {}
    return SafetyRules({str(k): " ".join(str(v).split()) for k, v in (raw.get("rules") or {}).items()},
                       {str(k): [str(r) for r in v or []] for k, v in (raw.get("findings") or {}).items()})


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [value]


def _statements(policy: Optional[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    if not isinstance(policy, Mapping):
        return []
    return [s for s in _list(policy.get("Statement") or []) if isinstance(s, Mapping)]


def _is_everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any(v == "*" or (isinstance(v, list) and "*" in v) for v in principal.values())
    return False


def _condition_keys(statement: Mapping[str, Any]) -> Set[str]:
    keys: Set[str] = set()
    for block in (statement.get("Condition") or {}).values() if isinstance(statement.get("Condition"), Mapping) else ():
        if isinstance(block, Mapping):
            keys |= {str(k).lower() for k in block}
    return keys


def _condition_values(statement: Mapping[str, Any], key: str) -> List[str]:
    out: List[str] = []
    cond = statement.get("Condition")
    for block in cond.values() if isinstance(cond, Mapping) else ():
        if isinstance(block, Mapping):
            for k, v in block.items():
                if str(k).lower() == key:
                    out += [str(x) for x in _list(v)]
    return out


def public_statements(policy: Optional[Mapping[str, Any]]) -> List[str]:
    """Sids (or positions) of Allow statements for everyone with no narrowing condition."""
    out = []
    for i, s in enumerate(_statements(policy), 1):
        if s.get("Effect") == "Allow" and _is_everyone(s.get("Principal")) \
                and not (_condition_keys(s) & set(NARROWING_KEYS)):
            out.append(str(s.get("Sid") or f"statement {i}"))
    return out


def _cloudfront_statements(policy: Optional[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    out = []
    for s in _statements(policy):
        principal = s.get("Principal")
        services = _list(principal.get("Service")) if isinstance(principal, Mapping) else []
        if s.get("Effect") == "Allow" and "cloudfront.amazonaws.com" in services:
            out.append(s)
    return out


def _bucket_not_public(state: SafetyState) -> List[Concern]:
    if state.origin_kind == "s3-website":
        return []  # a website endpoint serves only public objects: public is its design, not a fix's side effect
    out = []
    if not state.policy_read:
        out.append(Concern("bucket-not-public", "the bucket policy could not be read", unknown=True))
    else:
        sids = public_statements(state.policy)
        if sids:
            out.append(Concern("bucket-not-public", f"the bucket policy allows everyone (Principal \"*\") with no "
                                                    f"narrowing condition: {', '.join(sids)}"))
    if state.acl_grants is None:
        out.append(Concern("bucket-not-public", "the bucket ACL could not be read", unknown=True))
    else:
        public = sorted({str(g.get("grantee")).rsplit("/", 1)[-1] for g in state.acl_grants
                         if g.get("grantee") in PUBLIC_GROUPS})
        if public:
            out.append(Concern("bucket-not-public", f"the bucket ACL grants {', '.join(public)}"))
    return out


def _bpa_turned_off(before: Optional[Mapping[str, Any]], now: Optional[Mapping[str, Any]]) -> List[Concern]:
    if before is None or now is None:
        return []
    was, is_ = before.get("bucket") or {}, now.get("bucket") or {}
    off = [k for k in BPA_KEYS if was.get(k) and not is_.get(k)]
    return [Concern("bucket-not-public", f"Block Public Access was turned off on the bucket ({', '.join(off)})")] \
        if off else []


def _policy_kept(state: SafetyState) -> List[Concern]:
    if not state.uses_origin_access:
        return []
    if not state.policy_read:
        return [Concern("policy-kept", "the bucket policy could not be read", unknown=True)]
    if state.policy is None:
        return [Concern("policy-kept", "the bucket policy was deleted: the origin's OAC/OAI has no grant left, "
                                       "and whatever else the policy protected went with it")]
    return []


def _oac_grant_scoped(state: SafetyState) -> List[Concern]:
    if not state.policy_read or state.policy is None:
        return []  # said by policy-kept
    out = []
    for s in _cloudfront_statements(state.policy):
        arns = _condition_values(s, "aws:sourcearn")
        sid = str(s.get("Sid") or "the CloudFront statement")
        if not arns:
            out.append(Concern("oac-grant-scoped", f"{sid} lets every CloudFront distribution (any account's) read "
                                                   f"the bucket: it has no AWS:SourceArn condition"))
        elif any("*" in a or "?" in a for a in arns):
            # Another distribution's exact ARN is the fault the diagnosis names, not a broad grant.
            broad = [a for a in arns if "*" in a or "?" in a]
            out.append(Concern("oac-grant-scoped", f"{sid}'s AWS:SourceArn ({', '.join(broad)}) is broader than this "
                                                   f"distribution ({state.distribution_arn or 'unknown'})"))
    return out


def _sg_not_open(state: SafetyState, baseline: Optional[SafetyState]) -> List[Concern]:
    if state.open_ingress is None:
        return [Concern("sg-not-open", "the load balancer's and targets' security groups could not be read",
                        unknown=True)]
    before = baseline.open_ingress if baseline is not None and baseline.open_ingress is not None else set()
    new = sorted(state.open_ingress - before)
    return [Concern("sg-not-open", f"{role} security group {group} now admits {cidr}") for role, group, cidr in new]


def _cors_not_wildcard(state: SafetyState) -> List[Concern]:
    if not state.cors_read:
        return [Concern("cors-not-wildcard", "the bucket's CORS rules could not be read", unknown=True)]
    out = []
    for rule in state.cors_rules or []:
        if "*" not in _list(rule.get("AllowedOrigins") or []):
            continue
        headers = {str(h).lower() for h in _list(rule.get("AllowedHeaders") or [])}
        if state.credentials_used or headers & set(CREDENTIAL_HEADERS):
            out.append(Concern("cors-not-wildcard", "a CORS rule allows every origin (\"*\") while requests carry "
                                                    "credentials: name the page's origin instead"))
    return out


def review(rule_names: Sequence[str], state: SafetyState, baseline: Optional[SafetyState] = None) -> List[Concern]:
    """The concerns the given rules raise over `state` (compared with `baseline`, the lab as it started,
    where a rule is about a change: Block Public Access turned off, a newly opened group)."""
    out: List[Concern] = []
    for rule in rule_names:
        if rule == "bucket-not-public":
            out += _bucket_not_public(state)
            if state.origin_kind != "s3-website":
                out += _bpa_turned_off(baseline.bpa if baseline else None, state.bpa)
        elif rule == "policy-kept":
            out += _policy_kept(state)
        elif rule == "oac-grant-scoped":
            out += _oac_grant_scoped(state)
        elif rule == "sg-not-open":
            out += _sg_not_open(state, baseline)
        elif rule == "cors-not-wildcard":
            out += _cors_not_wildcard(state)
        else:
            raise KeyError(f"unknown safety rule {rule!r}")
    return out


KNOWN_RULES = ("bucket-not-public", "policy-kept", "oac-grant-scoped", "sg-not-open", "cors-not-wildcard")


def parse_policy(text: Optional[str]) -> Optional[Mapping[str, Any]]:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, Mapping) else {}
