"""Provides the lab's own bucket-policy decision (bucket policies, KMS key policies, RCPs): allow,
explicit-deny or implicit-deny for one request, and whether S3 counts a policy as public.

Written apart from the diagnosis's evaluator on purpose (issue 11 item 5): the lab grades the
diagnosis, so a misreading of AWS's rules must not sit on both sides. It is deliberately small -
only what the built-in scenarios and tests/oracle/policy_cases.yaml need - and refuses what it does
not model (ForAnyValue/ForAllValues, numeric and date operators, IP operators) with UnsupportedPolicy,
so a scenario that needs more fails loudly instead of being judged wrongly. No explanations either:
the diagnosis writes the prose, the lab only answers like S3 would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

OAI_PREFIX = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "


class UnsupportedPolicy(ValueError):
    """The policy uses something this small decision code does not model."""


@dataclass(frozen=True)
class Caller:
    """Who sends the request to S3: "anonymous", a "service" principal, or an "aws" principal (an OAI
    is one: its ARN, plus the S3 canonical user id policies may name it by)."""

    kind: str
    name: str = ""
    canonical: str = ""

    def account(self) -> Optional[str]:
        if self.kind != "aws":
            return None
        if re.fullmatch(r"\d{12}", self.name):
            return self.name
        found = re.match(r"arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):", self.name)
        return found.group(1) if found else None

    def context_keys(self) -> Dict[str, str]:
        """The principal keys AWS puts in the request context for this caller (IAM "AWS global
        condition context keys"): a service principal has aws:PrincipalServiceName and
        aws:PrincipalIsAWSService; an anonymous caller and an OAI have neither."""
        if self.kind == "service":
            return {"aws:PrincipalServiceName": self.name, "aws:PrincipalIsAWSService": "true"}
        if self.kind == "aws" and not self.name.startswith(OAI_PREFIX):
            keys = {"aws:PrincipalIsAWSService": "false"}
            if self.account():
                keys["aws:PrincipalAccount"] = self.account() or ""
            if self.name.startswith("arn:"):
                keys["aws:PrincipalArn"] = self.name
            return keys
        return {}


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """`*` is any run of characters, `?` exactly one; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def _arn_glob(pattern: str, value: str) -> bool:
    """ArnLike/ArnEquals: the six colon-separated parts are compared one by one."""
    left, right = pattern.split(":", 5), value.split(":", 5)
    return len(left) == len(right) and all(_glob(p, v) for p, v in zip(left, right))


_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def _substitute(text: str, context: Mapping[str, List[str]]) -> Optional[str]:
    """The text with ${key} replaced by the request's value; None when a key has no single value
    (such a value then matches nothing). The value keeps any wildcard characters it holds."""
    missing = False

    def one(match: "re.Match[str]") -> str:
        nonlocal missing
        values = context.get(match.group(1).strip().lower()) or []
        if len(values) != 1:
            missing = True
            return ""
        return values[0]

    out = _VARIABLE.sub(one, text)
    return None if missing else out


# base operator -> (negated, how one request value is compared with one policy value)
_OPERATORS = {
    "StringEquals": (False, lambda p, v: p == v), "StringNotEquals": (True, lambda p, v: p == v),
    "StringEqualsIgnoreCase": (False, lambda p, v: p.lower() == v.lower()),
    "StringNotEqualsIgnoreCase": (True, lambda p, v: p.lower() == v.lower()),
    "StringLike": (False, _glob), "StringNotLike": (True, _glob),
    "ArnEquals": (False, _arn_glob), "ArnLike": (False, _arn_glob),
    "ArnNotEquals": (True, _arn_glob), "ArnNotLike": (True, _arn_glob),
    "Bool": (False, lambda p, v: p.lower() == v.lower()),
}


def _condition_holds(operator: str, key: str, values: Sequence[str], context: Mapping[str, List[str]],
                     variables: bool) -> bool:
    actual = context.get(key.lower()) or []
    if operator == "Null":
        return any((v.lower() == "true") == (not actual) for v in values)
    if_exists = operator.endswith("IfExists")
    base = operator[: -len("IfExists")] if if_exists else operator
    if base not in _OPERATORS:
        raise UnsupportedPolicy(f"the lab's policy decision does not model the condition operator {operator}")
    negated, compare = _OPERATORS[base]
    if not actual:
        # IAM "Condition operators": an absent key makes the condition false, except that a negated
        # operator is then true, and ...IfExists is true.
        return if_exists or negated
    wanted = [(_substitute(v, context) if variables else v) for v in values]
    matched = any(w is not None and compare(w, a) for w in wanted for a in actual)
    return not matched if negated else matched


def _principal_names(value: Any) -> Dict[str, List[str]]:
    if value == "*":
        return {"AWS": ["*"]}
    return {kind: (names if isinstance(names, list) else [names]) for kind, names in dict(value).items()}


def _principal_matches(value: Any, caller: Caller) -> bool:
    names = _principal_names(value)
    for name in names.get("AWS", []):
        if name == "*" or (caller.kind == "aws" and name == caller.name):
            return True
        account = re.fullmatch(r"(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::root)?", name)
        if account and caller.account() == account.group(1):
            return True
    if caller.canonical and caller.canonical in names.get("CanonicalUser", []):
        return True
    return caller.kind == "service" and caller.name in names.get("Service", [])


def _list(value: Any) -> List[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _applies(st: Mapping[str, Any], action: str, resource: str, caller: Caller,
             context: Mapping[str, List[str]], variables: bool) -> bool:
    if "Action" in st:
        if not any(_glob(a, action, ignore_case=True) for a in _list(st["Action"])):
            return False
    elif any(_glob(a, action, ignore_case=True) for a in _list(st.get("NotAction", []))):
        return False

    def resource_hit(pattern: str) -> bool:
        text = _substitute(pattern, context) if variables else pattern
        return text is not None and _glob(text, resource)

    if "Resource" in st:
        if not any(resource_hit(r) for r in _list(st["Resource"])):
            return False
    elif any(resource_hit(r) for r in _list(st.get("NotResource", []))):
        return False
    if "Principal" in st and not _principal_matches(st["Principal"], caller):
        return False
    if "NotPrincipal" in st and _principal_matches(st["NotPrincipal"], caller):
        return False
    for operator, block in (st.get("Condition") or {}).items():
        if ":" in operator:
            raise UnsupportedPolicy(f"the lab's policy decision does not model {operator}")
        for key, values in block.items():
            if not _condition_holds(operator, key, [_text(v) for v in _list_raw(values)], context, variables):
                return False
    return True


def _list_raw(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _document(policy: Any) -> Mapping[str, Any]:
    return json.loads(policy) if isinstance(policy, (str, bytes)) else policy


def _statements(doc: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    raw = doc.get("Statement") or []
    return raw if isinstance(raw, list) else [raw]


def decide(policy: Any, action: str, resource: str, caller: Caller,
           context: Optional[Mapping[str, Any]] = None) -> str:
    """"explicit-deny" when an applicable Deny exists, else "allow" when an applicable Allow exists,
    else "implicit-deny" (IAM "Policy evaluation logic"). `context` holds the request's condition
    keys; the caller's principal keys are added here."""
    doc = _document(policy)
    keys: Dict[str, List[str]] = {}
    for key, value in {**caller.context_keys(), **dict(context or {})}.items():
        if value is not None:
            keys[key.lower()] = [str(v) for v in value] if isinstance(value, (list, tuple)) else [_text(value)]
    variables = doc.get("Version") == "2012-10-17"  # variables exist only in this version
    effects = {st.get("Effect") for st in _statements(doc)
               if _applies(st, action, resource, caller, keys, variables)}
    if "Deny" in effects:
        return "explicit-deny"
    return "allow" if "Allow" in effects else "implicit-deny"


# S3 "The meaning of public": a grant to everyone is non-public only when a condition pins it to a
# fixed value of one of these keys.
_PINNING_KEYS = {"aws:sourcearn", "aws:sourceaccount", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
                 "aws:sourceip", "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:userid"}


def _pinned(conditions: Mapping[str, Mapping[str, Any]]) -> bool:
    for operator, block in conditions.items():
        if operator not in ("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike",
                            "IpAddress"):
            continue
        for key, values in block.items():
            texts = [_text(v) for v in _list_raw(values)]
            if key.lower() not in _PINNING_KEYS or not texts:
                continue
            if key.lower() == "aws:sourceip":
                if all("/" in t and int(t.rsplit("/", 1)[1]) >= 8 for t in texts):
                    return True
            elif not any(c in t for t in texts for c in "*?$"):
                return True
    return False


def is_public(policy: Any) -> bool:
    """Whether S3 Block Public Access counts the policy as public: some Allow grants everyone (or
    everyone but someone, via NotPrincipal) without a condition pinning it to a fixed value."""
    for st in _statements(_document(policy)):
        if st.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in st:
            return True
        names = _principal_names(st.get("Principal", {}))
        if "*" in names.get("AWS", []) and not _pinned(st.get("Condition") or {}):
            return True
    return False
