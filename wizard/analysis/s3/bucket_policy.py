"""Provides a pure S3 bucket (and KMS key) policy evaluator that explains every statement in one sentence.

It follows AWS's documented "Policy evaluation logic" for a resource-based policy on its own: an
applicable explicit Deny wins, else an applicable Allow allows, else the request is implicitly
denied. For the CloudFront service principal (OAC), an origin access identity or an anonymous
caller that is the whole answer; for IAM principals their identity policies also count, and those
are not evaluated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..wildcards import glob_regex
from . import policy_conditions as pc
from .policy_document import (ACCOUNT, ACCOUNT_ROOT, OAI_ARN_PREFIX, PrincipalSpec, Statement, describe_principal,
                              listing, load_statements, scalar, short_id)

CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com"
PRINCIPAL_KINDS = ("anonymous", "aws", "service", "canonical")
_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):")
_ASSUMED_ROLE = re.compile(r"^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role/([^/]+)/")
_ROLE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:.*/)?([^/]+)$")


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
        if ACCOUNT.match(self.id):
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
            return f"canonical user {short_id(self.id)}"
        if self.oai_id is not None:
            extra = f" (canonical user {short_id(self.aliases[0])})" if self.aliases else ""
            return f"origin access identity {self.oai_id}{extra}"
        return f"AWS account {self.id}" if ACCOUNT.match(self.id) else self.id


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



# --- matching ------------------------------------------------------------------------------------


def _context(request: Request) -> Dict[str, Tuple[str, ...]]:
    """The request's condition keys, lower-cased, plus the principal keys AWS adds for this caller."""
    out: Dict[str, Tuple[str, ...]] = {}
    for key, value in (request.context or {}).items():
        if value is None:
            continue
        items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        out[str(key).lower()] = tuple(s for s in (scalar(v) if not isinstance(v, str) else v for v in items)
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
    m = ACCOUNT_ROOT.match(name)
    account = name if ACCOUNT.match(name) else (m.group(1) if m else None)
    if account is not None and principal.account == account:
        return True
    # A role ARN matches sessions of that role (assumed-role ARNs drop the role's path).
    session, role = _ASSUMED_ROLE.match(principal.id), _ROLE.match(name)
    return bool(session and role and session.groups() == role.groups())


def _principal_matches(spec: PrincipalSpec, principal: Principal) -> bool:
    if spec.wildcard:
        return True
    if any(_aws_name_matches(n, principal) for n in spec.names.get("AWS", ())):
        return True
    names = {principal.id.lower(), *(a.lower() for a in principal.aliases)}
    if principal.kind in ("canonical", "aws") and any(n.lower() in names for n in spec.names.get("CanonicalUser", ())):
        return True
    return principal.kind == "service" and any(n.lower() == principal.id.lower() for n in spec.names.get("Service", ()))


def _pattern_match(pattern: str, value: str, context: Mapping[str, Tuple[str, ...]], variables: bool,
                   ignore_case: bool) -> bool:
    try:
        chunks = pc.expand(pattern, context, variables)
    except pc.Unresolved:
        return False
    return glob_regex(chunks, ignore_case).fullmatch(value) is not None

def _judge(st: Statement, request: Request, context: Mapping[str, Tuple[str, ...]], variables: bool) -> StatementVerdict:
    def verdict(applies: bool, reason: str) -> StatementVerdict:
        return StatementVerdict(st.index, st.sid, st.effect, applies, reason)

    action_hit = any(_pattern_match(a, request.action, {}, False, True) for a in st.actions)
    if action_hit == st.not_action:
        return verdict(False, f"its NotAction lists {listing(st.actions)}, which covers {request.action}"
                       if st.not_action else f"its Action is {listing(st.actions)}, the request is {request.action}")
    # Resource ARNs compare case-sensitively; Actions do not (IAM "Action", "Resource").
    resource_hit = any(_pattern_match(r, request.resource, context, variables, False) for r in st.resources)
    if resource_hit == st.not_resource:
        return verdict(False, f"its NotResource lists {listing(st.resources)}, which covers {request.resource}"
                       if st.not_resource else
                       f"its Resource is {listing(st.resources)}, the request is for {request.resource}")
    principal_hit = _principal_matches(st.principal, request.principal)
    if principal_hit == st.not_principal:
        # NotPrincipal applies to everyone it does not name (IAM "NotPrincipal").
        who = describe_principal(st.principal)
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
    statements, variables = load_statements(policy)
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
    statements, variables = load_statements(policy)
    out = []
    for st in statements:
        if st.effect != "Allow":
            continue
        action_hit = any(_pattern_match(a, action, {}, False, True) for a in st.actions)
        resource_hit = any(_pattern_match(r, resource, {}, variables, False) for r in st.resources)
        if action_hit == st.not_action or resource_hit == st.not_resource:
            continue
        who = describe_principal(st.principal, st.not_principal)
        reason = f"It allows {action} on {resource} to {who}"
        clauses = [pc.describe_condition(op, key, values) for op, key, values in st.conditions]
        out.append(StatementVerdict(st.index, st.sid, st.effect, True,
                                    reason + ("; " + "; ".join(clauses) if clauses else ", with no condition")))
    return out

__all__ = ["CLOUDFRONT_SERVICE", "Evaluation", "Principal", "Request", "StatementVerdict", "evaluate",
           "statements_granting"]
