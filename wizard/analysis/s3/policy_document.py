"""Provides the reading of a bucket (or KMS key) policy document: its shape checked with a message that
says what is wrong and where, its statements as records, and each element (principal, action list) put
into words. The evaluator (bucket_policy) and the public-policy reading (policy_public) build on it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from . import policy_conditions as pc

OAI_ARN_PREFIX = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity "
_PRINCIPAL_TYPES = {"aws": "AWS", "service": "Service", "canonicaluser": "CanonicalUser", "federated": "Federated"}
_STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
                   "Condition"}
ACCOUNT = re.compile(r"^\d{12}$")
ACCOUNT_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")


class PolicyError(ValueError):
    """The policy is not valid JSON or not shaped like an IAM policy; the message says what and where."""


@dataclass(frozen=True)
class PrincipalSpec:
    wildcard: bool
    names: Mapping[str, Tuple[str, ...]]   # "AWS" | "Service" | "CanonicalUser" | "Federated" -> values


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str
    effect: str
    actions: Tuple[str, ...]
    not_action: bool
    resources: Tuple[str, ...]
    not_resource: bool
    principal: PrincipalSpec
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


def scalar(value: Any) -> Optional[str]:
    """A condition value as IAM compares it: booleans and numbers as their JSON text; None when not a scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def _principal(value: Any, where: str, element: str) -> PrincipalSpec:
    if value == "*":
        return PrincipalSpec(True, {})
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
    return PrincipalSpec(wildcard, names)


def _conditions(value: Any, where: str) -> Tuple[Tuple[str, str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise PolicyError(f"{where}: Condition must be an object of operators, not {_brief(value)}")
    out = []
    for operator, block in value.items():
        if not isinstance(operator, str) or not isinstance(block, dict) or not block:
            raise PolicyError(f"{where}: Condition {operator!r} must map condition keys to values, not {_brief(block)}")
        for key, raw in block.items():
            items = raw if isinstance(raw, list) else [raw]
            values = [scalar(v) for v in items]
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


def _statement(index: int, raw: Any) -> Statement:
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
    return Statement(
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
    load_statements(doc)
    return doc


def load_statements(doc: Any) -> Tuple[List[Statement], bool]:
    """The statements of a policy (dict, JSON text or bytes), and whether policy variables apply (Version 2012-10-17)."""
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


def short_id(value: str) -> str:
    """A long canonical user id cut to something a reader can compare."""
    return value if len(value) <= 16 else value[:12] + "…"


def describe_principal(spec: PrincipalSpec, negated: bool = False) -> str:
    """`everyone ("*")`, `the service principal cloudfront.amazonaws.com`, `origin access identity E2Q...`."""
    if spec.wildcard:
        text = 'everyone ("*")'
    else:
        parts = []
        for name in spec.names.get("AWS", ()):
            if name.startswith(OAI_ARN_PREFIX):
                parts.append(f"origin access identity {name[len(OAI_ARN_PREFIX):]}")
            elif ACCOUNT.match(name) or ACCOUNT_ROOT.match(name):
                parts.append(f"AWS account {name if ACCOUNT.match(name) else ACCOUNT_ROOT.match(name).group(1)}")
            else:
                parts.append(name)
        parts += [f"the service principal {n}" for n in spec.names.get("Service", ())]
        parts += [f"canonical user {short_id(n)}" for n in spec.names.get("CanonicalUser", ())]
        parts += [f"federated users of {n}" for n in spec.names.get("Federated", ())]
        text = " or ".join(parts[:5]) + (f" (+{len(parts) - 5} more)" if len(parts) > 5 else "")
    return f"everyone except {text}" if negated else text


def listing(values: Sequence[str]) -> str:
    """Up to five values, quoted as the policy writes them, joined with "or"."""
    shown = [pc.show("", v) for v in values[:5]]
    return " or ".join(shown) + (f" (+{len(values) - 5} more)" if len(values) > 5 else "")
