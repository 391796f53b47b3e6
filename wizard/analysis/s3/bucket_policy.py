"""Provides a pure S3 bucket (and KMS key) policy evaluator that explains every statement in one sentence.

It follows AWS's documented "Policy evaluation logic" for a resource-based policy on its own: an
applicable explicit Deny wins, else an applicable Allow allows, else the request is implicitly
denied. For the CloudFront service principal (OAC), an origin access identity or an anonymous
caller that is the whole answer; for IAM principals their identity policies also count, and those
are not evaluated here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import policy_conditions as pc

OAI_ARN_PREFIX = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "
CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com"
PRINCIPAL_KINDS = ("anonymous", "aws", "service", "canonical")
_PRINCIPAL_TYPES = {"aws": "AWS", "service": "Service", "canonicaluser": "CanonicalUser", "federated": "Federated"}
_STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
                   "Condition"}
_ACCOUNT = re.compile(r"^\d{12}$")
_ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):")
_ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/")
_ROLE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:.*/)?([^/]+)$")


class PolicyError(ValueError):
    """The policy is not valid JSON or not shaped like an IAM policy; the message says what and where."""


@dataclass(frozen=True)
class Principal:
    """Who makes the request, as a bucket policy's Principal element sees it."""

    kind: str            # "anonymous" | "aws" | "service" | "canonical"
    id: str = ""         # account id or IAM ARN; service name; canonical user id
    aliases: Tuple[str, ...] = ()   # other names of the same principal (an OAI's canonical user id)

    def __post_init__(self) -> None:
        if self.kind not in PRINCIPAL_KINDS:
            raise ValueError(f"principal kind must be one of {', '.join(PRINCIPAL_KINDS)}, not {self.kind!r}")

    @classmethod
    def anonymous(cls) -> "Principal":
        """An unsigned request (what an S3 website endpoint or an origin without OAC/OAI sends)."""
        return cls("anonymous")

    @classmethod
    def cloudfront_service(cls) -> "Principal":
        """The CloudFront service principal that signs OAC origin requests."""
        return cls("service", CLOUDFRONT_SERVICE)

    @classmethod
    def oai(cls, oai_id: str, canonical_id: str = "") -> "Principal":
        """An origin access identity; policies name it by ARN or by its S3 canonical user id."""
        arn = oai_id if oai_id.startswith("arn:") else OAI_ARN_PREFIX + oai_id
        return cls("aws", arn, (canonical_id,) if canonical_id else ())

    @classmethod
    def aws(cls, arn_or_account: str) -> "Principal":
        """An IAM principal (user, role, session ARN) or a whole account (12 digits)."""
        return cls("aws", arn_or_account)

    @property
    def account(self) -> Optional[str]:
        """The 12-digit account the principal belongs to, when known."""
        if self.kind != "aws":
            return None
        if _ACCOUNT.match(self.id):
            return self.id
        m = _ARN_ACCOUNT.match(self.id)
        return m.group(1) if m else None

    @property
    def oai_id(self) -> Optional[str]:
        """The OAI id (E...) when this is an origin access identity."""
        return self.id[len(OAI_ARN_PREFIX):] if self.kind == "aws" and self.id.startswith(OAI_ARN_PREFIX) else None

    def describe(self) -> str:
        """`the CloudFront service principal (cloudfront.amazonaws.com)`, `origin access identity E2Q...`."""
        if self.kind == "anonymous":
            return "an anonymous caller"
        if self.kind == "service":
            return (f"the CloudFront service principal ({self.id})" if self.id == CLOUDFRONT_SERVICE
                    else f"the service principal {self.id}")
        if self.kind == "canonical":
            return f"canonical user {_short_id(self.id)}"
        if self.oai_id is not None:
            extra = f" (canonical user {_short_id(self.aliases[0])})" if self.aliases else ""
            return f"origin access identity {self.oai_id}{extra}"
        return f"AWS account {self.id}" if _ACCOUNT.match(self.id) else self.id


@dataclass(frozen=True)
class Request:
    """One request as the policy sees it: action, resource ARN, principal and condition keys."""

    action: str
    resource: str
    principal: Principal
    context: Mapping[str, Union[str, Sequence[str]]] = field(default_factory=dict)

    def describe(self) -> str:
        """`s3:GetObject on arn:aws:s3:::bucket/key by an anonymous caller`."""
        return f"{self.action} on {self.resource} by {self.principal.describe()}"


@dataclass
class StatementVerdict:
    """Whether one statement applies to the request, and why, in words."""

    index: int      # zero-based position in the policy
    sid: str
    effect: str
    applies: bool
    reason: str     # "It denies ..." when it applies, "its Resource is ..." when it does not

    @property
    def name(self) -> str:
        """The Sid, or `#2` (one-based) for a statement without one."""
        return self.sid or f"#{self.index + 1}"

    @property
    def label(self) -> str:
        """`Statement 'AllowCloudFront'` or `Statement #2`."""
        return f"Statement '{self.sid}'" if self.sid else f"Statement #{self.index + 1}"

    def sentence(self) -> str:
        """The one sentence a reader gets: `Statement 'X' does not apply: its condition ...`."""
        reason = self.reason[:1].lower() + self.reason[1:] if self.applies else self.reason
        return f"{self.label} {'applies' if self.applies else 'does not apply'}: {reason}"


@dataclass
class Evaluation:
    """The policy's answer for one request, the statement that decided it, and every statement's verdict."""

    decision: str        # "allow" | "explicit-deny" | "implicit-deny"
    deciding: Optional[StatementVerdict]
    statements: List[StatementVerdict]
    request: Optional[Request] = None

    def explain(self) -> str:
        """Several lines: the decision and why, then one sentence per statement."""
        what = self.request.describe() if self.request else "the request"
        if self.decision == "explicit-deny" and self.deciding:
            head = (f"Explicit deny: {self.deciding.label} denies {what}. An explicit Deny wins over any Allow.")
        elif self.decision == "allow" and self.deciding:
            head = f"Allow: {self.deciding.label} allows {what}, and no statement denies it."
        elif not self.statements:
            head = f"Implicit deny: the policy has no statements, so nothing allows {what}."
        else:
            refusal = ("S3 answers 403 AccessDenied" if self.request and self.request.action.lower().startswith("s3:")
                       else "the request is refused")
            head = f"Implicit deny: no statement allows {what}, so {refusal}."
        lines = [head]
        if self.request and self.request.principal.kind == "aws" and self.request.principal.oai_id is None:
            lines.append("Only this policy was evaluated: an IAM principal's own identity policies also count.")
        lines += [f"  [{v.effect}] {v.sentence()}" for v in self.statements]
        return "\n".join(lines)


@dataclass(frozen=True)
class PublicVerdict:
    """Whether S3 Block Public Access counts the policy as public, with a reason per Allow statement."""

    public: bool
    reasons: List[str]

    def __bool__(self) -> bool:
        return self.public

    def __iter__(self) -> Iterator[Any]:
        return iter((self.public, self.reasons))


# --- parsing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PrincipalSpec:
    wildcard: bool
    names: Mapping[str, Tuple[str, ...]]   # "AWS" | "Service" | "CanonicalUser" | "Federated" -> values


@dataclass(frozen=True)
class _Statement:
    index: int
    sid: str
    effect: str
    actions: Tuple[str, ...]
    not_action: bool
    resources: Tuple[str, ...]
    not_resource: bool
    principal: _PrincipalSpec
    not_principal: bool
    conditions: Tuple[Tuple[str, str, Tuple[str, ...]], ...]


def _where(index: int, raw: Any) -> str:
    sid = raw.get("Sid") if isinstance(raw, dict) else None
    return f"statement #{index + 1}" + (f" (Sid {sid!r})" if isinstance(sid, str) and sid else "")


def _strings(value: Any, what: str, where: str) -> Tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) for v in items):
        raise PolicyError(f"{where}: {what} must be a string or a non-empty list of strings, not {_brief(value)}")
    return tuple(items)


def _scalar(value: Any) -> Optional[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def _principal(value: Any, where: str, element: str) -> _PrincipalSpec:
    if value == "*":
        return _PrincipalSpec(True, {})
    if not isinstance(value, dict) or not value:
        raise PolicyError(f'{where}: {element} must be "*" or an object such as {{"AWS": "..."}} or '
                          f'{{"Service": "cloudfront.amazonaws.com"}}, not {_brief(value)}')
    names: Dict[str, Tuple[str, ...]] = {}
    for key, names_value in value.items():
        kind = _PRINCIPAL_TYPES.get(key.lower()) if isinstance(key, str) else None
        if kind is None:
            raise PolicyError(f"{where}: {element} has an unknown type {key!r} (expected AWS, Service, "
                              "CanonicalUser or Federated)")
        names[kind] = names.get(kind, ()) + _strings(names_value, f"{element}.{key}", where)
    wildcard = "*" in names.get("AWS", ())   # IAM "Principal": "*" and {"AWS": "*"} are equivalent
    return _PrincipalSpec(wildcard, names)


def _conditions(value: Any, where: str) -> Tuple[Tuple[str, str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: Condition must be an object of operators, not {_brief(value)}")
    out = []
    for operator, block in value.items():
        if not isinstance(operator, str) or not isinstance(block, dict) or not block:
            raise PolicyError(f"{where}: Condition {operator!r} must map condition keys to values, not {_brief(block)}")
        for key, raw in block.items():
            items = raw if isinstance(raw, list) else [raw]
            values = [_scalar(v) for v in items]
            if not isinstance(key, str) or any(v is None for v in values):
                raise PolicyError(f"{where}: Condition {operator} {key!r} must have string, number or boolean "
                                  f"values, not {_brief(raw)}")
            out.append((operator, key, tuple(v for v in values if v is not None)))
    return tuple(out)


def _one_of(raw: Dict[str, Any], name: str, where: str) -> Tuple[Any, bool]:
    if name in raw and "Not" + name in raw:
        raise PolicyError(f"{where}: it has both {name} and Not{name}; a statement takes one of them")
    if name in raw:
        return raw[name], False
    if "Not" + name in raw:
        return raw["Not" + name], True
    raise PolicyError(f"{where}: it has no {name} (or Not{name})")


def _statement(index: int, raw: Any) -> _Statement:
    where = _where(index, raw)
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: a statement must be a JSON object, not {_brief(raw)}")
    unknown = sorted(str(k) for k in raw if k not in _STATEMENT_KEYS)
    if unknown:
        raise PolicyError(f"{where}: unknown element {unknown[0]!r} (a statement has "
                          "Sid, Effect, Principal, Action, Resource, Condition and their Not forms)")
    sid = raw.get("Sid", "")
    if not isinstance(sid, str):
        raise PolicyError(f"{where}: Sid must be a string, not {_brief(sid)}")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f'{where}: Effect must be "Allow" or "Deny", not {_brief(effect)}')
    action, not_action = _one_of(raw, "Action", where)
    resource, not_resource = _one_of(raw, "Resource", where)
    principal, not_principal = _one_of(raw, "Principal", where)
    element = "NotPrincipal" if not_principal else "Principal"
    return _Statement(
        index, sid, effect,
        _strings(action, "NotAction" if not_action else "Action", where), not_action,
        _strings(resource, "NotResource" if not_resource else "Resource", where), not_resource,
        _principal(principal, where, element), not_principal,
        _conditions(raw["Condition"], where) if "Condition" in raw else (),
    )


def parse_policy(text_or_dict: Any) -> dict:
    """The policy document as a dict, after checking its shape; PolicyError says what is wrong and where."""
    doc = text_or_dict
    if isinstance(doc, bytes):
        try:
            doc = doc.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicyError(f"the policy is not UTF-8 text: {exc}") from None
    if isinstance(doc, str):
        try:
            doc = json.loads(doc)
        except (ValueError, RecursionError) as exc:
            raise PolicyError(f"the policy is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise PolicyError(f"the policy must be a JSON object with a Statement, not {_brief(doc)}")
    _load(doc)
    return doc


def _load(doc: Any) -> Tuple[List[_Statement], bool]:
    if not isinstance(doc, dict):
        doc = parse_policy(doc)
    version = doc.get("Version", "2008-10-17")
    if version not in ("2012-10-17", "2008-10-17"):
        raise PolicyError(f'Version must be "2012-10-17" or "2008-10-17", not {_brief(version)}')
    if "Statement" not in doc:
        raise PolicyError("the policy has no Statement")
    raw = doc["Statement"]
    items = raw if isinstance(raw, list) else [raw]
    return [_statement(i, s) for i, s in enumerate(items)], version == "2012-10-17"


def _brief(value: Any) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _short_id(value: str) -> str:
    return value if len(value) <= 16 else value[:12] + "…"


# --- matching ------------------------------------------------------------------------------------


def _context(request: Request) -> Dict[str, Tuple[str, ...]]:
    """The request's condition keys, lower-cased, plus the principal keys AWS adds for this caller."""
    out: Dict[str, Tuple[str, ...]] = {}
    for key, value in (request.context or {}).items():
        if value is None:
            continue
        items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        out[str(key).lower()] = tuple(s for s in (_scalar(v) if not isinstance(v, str) else v for v in items)
                                      if s is not None)
    principal = request.principal
    if principal.kind == "service":
        out.setdefault("aws:principalservicename", (principal.id,))
        out.setdefault("aws:principalisawsservice", ("true",))
    elif principal.kind == "aws" and principal.oai_id is None:
        out.setdefault("aws:principalisawsservice", ("false",))
        if principal.account:
            out.setdefault("aws:principalaccount", (principal.account,))
        if principal.id.startswith("arn:"):
            out.setdefault("aws:principalarn", (principal.id,))
    return out


def _aws_name_matches(name: str, principal: Principal) -> bool:
    if name == "*":
        return True
    if principal.kind != "aws" and not principal.aliases:
        return False
    if name == principal.id or name in principal.aliases:
        return True
    # IAM "Principal": an account id or its :root ARN stands for every principal of that account.
    m = _ACCOUNT_ROOT.match(name)
    account = name if _ACCOUNT.match(name) else (m.group(1) if m else None)
    if account is not None and principal.account == account:
        return True
    # A role ARN matches sessions of that role (assumed-role ARNs drop the role's path).
    session, role = _ASSUMED_ROLE.match(principal.id), _ROLE.match(name)
    return bool(session and role and session.groups() == role.groups())


def _principal_matches(spec: _PrincipalSpec, principal: Principal) -> bool:
    if spec.wildcard:
        return True
    if any(_aws_name_matches(n, principal) for n in spec.names.get("AWS", ())):
        return True
    names = {principal.id.lower(), *(a.lower() for a in principal.aliases)}
    if principal.kind in ("canonical", "aws") and any(n.lower() in names for n in spec.names.get("CanonicalUser", ())):
        return True
    return principal.kind == "service" and any(n.lower() == principal.id.lower() for n in spec.names.get("Service", ()))


def _describe_principal_element(spec: _PrincipalSpec, negated: bool = False) -> str:
    """`everyone ("*")`, `the service principal cloudfront.amazonaws.com`, `origin access identity E2Q...`."""
    if spec.wildcard:
        text = 'everyone ("*")'
    else:
        parts = []
        for name in spec.names.get("AWS", ()):
            if name.startswith(OAI_ARN_PREFIX):
                parts.append(f"origin access identity {name[len(OAI_ARN_PREFIX):]}")
            elif _ACCOUNT.match(name) or _ACCOUNT_ROOT.match(name):
                parts.append(f"AWS account {name if _ACCOUNT.match(name) else _ACCOUNT_ROOT.match(name).group(1)}")
            else:
                parts.append(name)
        parts += [f"the service principal {n}" for n in spec.names.get("Service", ())]
        parts += [f"canonical user {_short_id(n)}" for n in spec.names.get("CanonicalUser", ())]
        parts += [f"federated users of {n}" for n in spec.names.get("Federated", ())]
        text = " or ".join(parts[:5]) + (f" (+{len(parts) - 5} more)" if len(parts) > 5 else "")
    return f"everyone except {text}" if negated else text


def _pattern_match(pattern: str, value: str, context: Mapping[str, Tuple[str, ...]], variables: bool,
                   ignore_case: bool) -> bool:
    try:
        chunks = pc.expand(pattern, context, variables)
    except pc.Unresolved:
        return False
    return pc.glob_regex(chunks, ignore_case).fullmatch(value) is not None


def _listing(values: Sequence[str]) -> str:
    shown = [pc.show("", v) for v in values[:5]]
    return " or ".join(shown) + (f" (+{len(values) - 5} more)" if len(values) > 5 else "")


def _judge(st: _Statement, request: Request, context: Mapping[str, Tuple[str, ...]], variables: bool) -> StatementVerdict:
    def verdict(applies: bool, reason: str) -> StatementVerdict:
        return StatementVerdict(st.index, st.sid, st.effect, applies, reason)

    action_hit = any(_pattern_match(a, request.action, {}, False, True) for a in st.actions)
    if action_hit == st.not_action:
        return verdict(False, f"its NotAction lists {_listing(st.actions)}, which covers {request.action}"
                       if st.not_action else f"its Action is {_listing(st.actions)}, the request is {request.action}")
    # Resource ARNs compare case-sensitively; Actions do not (IAM "Action", "Resource").
    resource_hit = any(_pattern_match(r, request.resource, context, variables, False) for r in st.resources)
    if resource_hit == st.not_resource:
        return verdict(False, f"its NotResource lists {_listing(st.resources)}, which covers {request.resource}"
                       if st.not_resource else
                       f"its Resource is {_listing(st.resources)}, the request is for {request.resource}")
    principal_hit = _principal_matches(st.principal, request.principal)
    if principal_hit == st.not_principal:
        # NotPrincipal applies to everyone it does not name (IAM "NotPrincipal").
        who = _describe_principal_element(st.principal)
        return verdict(False, f"its NotPrincipal exempts {who}, which includes {request.principal.describe()}"
                       if st.not_principal else
                       f"its Principal is {who}, the request comes from {request.principal.describe()}")
    checks = [pc.check(op, key, values, context, variables) for op, key, values in st.conditions]
    failed = [c for c in checks if not c.met]
    if failed:
        extra = len(failed) - 1
        more = f" ({extra} more condition{'s also fail' if extra > 1 else ' also fails'})" if extra else ""
        return verdict(False, failed[0].clause + more)
    verb = "allows" if st.effect == "Allow" else "denies"
    head = f"It {verb} {request.action} on {request.resource} to {request.principal.describe()}"
    if not checks:
        return verdict(True, head + ", with no condition")
    return verdict(True, head + ", because " + "; ".join(c.clause for c in checks))


# --- public API ----------------------------------------------------------------------------------


def evaluate(policy: Any, request: Request) -> Evaluation:
    """Decides whether the policy alone allows `request` (AWS "Policy evaluation logic")."""
    statements, variables = _load(policy)
    context = _context(request)
    verdicts = [_judge(st, request, context, variables) for st in statements]
    denies = [v for v in verdicts if v.applies and v.effect == "Deny"]
    allows = [v for v in verdicts if v.applies and v.effect == "Allow"]
    if denies:
        return Evaluation("explicit-deny", denies[0], verdicts, request)
    if allows:
        return Evaluation("allow", allows[0], verdicts, request)
    return Evaluation("implicit-deny", None, verdicts, request)


def statements_granting(policy: Any, action: str, resource: str) -> List[StatementVerdict]:
    """The Allow statements that grant `action` on `resource` to someone, each saying to whom and when."""
    statements, variables = _load(policy)
    out = []
    for st in statements:
        if st.effect != "Allow":
            continue
        action_hit = any(_pattern_match(a, action, {}, False, True) for a in st.actions)
        resource_hit = any(_pattern_match(r, resource, {}, variables, False) for r in st.resources)
        if action_hit == st.not_action or resource_hit == st.not_resource:
            continue
        who = _describe_principal_element(st.principal, st.not_principal)
        reason = f"It allows {action} on {resource} to {who}"
        clauses = [pc.describe_condition(op, key, values) for op, key, values in st.conditions]
        out.append(StatementVerdict(st.index, st.sid, st.effect, True,
                                    reason + ("; " + "; ".join(clauses) if clauses else ", with no condition")))
    return out


# S3 "The meaning of public": a policy is non-public only when every grant is pinned to fixed values
# (no wildcard, no policy variable) of a principal or of one of these condition keys.
_PINNING_KEYS = {"aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
                 "aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid",
                 "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
                 "aws:principalorgid", "aws:principalaccount", "aws:principalarn"}
_PINNING_OPERATORS = {"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"}


def _fixed_value(key: str, value: str) -> bool:
    if "${" in value:
        return False
    if key == "aws:sourceip":
        # Ranges broader than /8 (IPv4) or /32 (IPv6) count as public (S3 "The meaning of public").
        try:
            network = ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            return False
        return network.prefixlen >= (8 if network.version == 4 else 32)
    if key == "s3:dataaccesspointarn":
        # A wildcard access point name is fine as long as the account is fixed.
        parts = value.split(":", 5)
        return (len(parts) == 6 and not any("*" in p or "?" in p for p in parts[:5])
                and bool(_ACCOUNT.match(parts[4])))
    if key == "aws:userid" and re.match(r"^[A-Z0-9]+:\*$", value):
        return True  # the documented exception: "AROLEID:*" (any session of one role) is fixed
    return "*" not in value and "?" not in value


def _pinned_by(st: _Statement) -> Optional[str]:
    for operator, key, values in st.conditions:
        op = pc.parse_operator(operator)
        if (op is None or op.base not in _PINNING_OPERATORS or op.if_exists or op.qualifier == "ForAllValues"
                or key.lower() not in _PINNING_KEYS or not values):
            continue
        if all(_fixed_value(key.lower(), v) for v in values):
            return f"{operator} {key} {_listing(list(values))}"
    return None


def _public_reason(st: _Statement, label: str) -> Tuple[bool, str]:
    actions = _listing(st.actions)
    who = _describe_principal_element(st.principal, st.not_principal)
    if st.not_principal:
        return True, f"{label} allows {actions} to {who}, which includes anonymous callers"
    open_principal = (st.principal.wildcard or "Federated" in st.principal.names
                      or any("*" in n or "?" in n for ns in st.principal.names.values() for n in ns))
    if not open_principal:
        return False, f"{label} grants {actions} only to {who}"
    pin = _pinned_by(st)
    if pin:
        return False, f"{label} grants {actions} to {who} but only with {pin}, a fixed value S3 accepts as non-public"
    referer = any(key.lower() == "aws:referer" for _, key, _ in st.conditions)
    return True, (f"{label} allows {actions} to {who} and no condition pins it to a fixed aws:SourceIp, "
                  "aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceAccount, aws:SourceOwner or "
                  "aws:PrincipalOrgID" + ("; its aws:Referer condition does not count, since any caller can "
                                          "send that header" if referer else ""))


def is_public_policy(policy: Any) -> PublicVerdict:
    """Whether S3 Block Public Access treats the policy as public ("The meaning of public"), and why."""
    statements, _ = _load(policy)
    judged = []
    for st in statements:
        if st.effect == "Allow":
            label = f"Statement '{st.sid}'" if st.sid else f"Statement #{st.index + 1}"
            judged.append(_public_reason(st, label))
    public = [reason for is_public, reason in judged if is_public]
    if public:
        return PublicVerdict(True, public)
    return PublicVerdict(False, [reason for _, reason in judged] or ["no statement allows anything"])


__all__ = ["CLOUDFRONT_SERVICE", "OAI_ARN_PREFIX", "Evaluation", "PolicyError", "Principal", "PublicVerdict",
           "Request", "StatementVerdict", "evaluate", "is_public_policy", "parse_policy", "statements_granting"]
