"""Provides the IAM condition operators and policy variables a bucket policy uses, with a clause per check.

Semantics follow "IAM JSON policy elements: Condition operators" and "Conditions with multiple
context keys or values" (IAM User Guide); each quirk below names the rule it follows.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import math
import re
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from ..wildcards import Chunks, glob_regex

# Lower-cased condition key -> the request's values for it. AWS: "Condition key names are not
# case-sensitive"; values are compared case-sensitively unless the operator says IgnoreCase.
Context = Mapping[str, Tuple[str, ...]]

# (family, negated, comparison) per base operator.
_BASES: Dict[str, Tuple[str, bool, str]] = {
    "StringEquals": ("string", False, "eq"), "StringNotEquals": ("string", True, "eq"),
    "StringEqualsIgnoreCase": ("string", False, "eqi"), "StringNotEqualsIgnoreCase": ("string", True, "eqi"),
    "StringLike": ("string", False, "like"), "StringNotLike": ("string", True, "like"),
    "ArnEquals": ("arn", False, "arn"), "ArnLike": ("arn", False, "arn"),
    "ArnNotEquals": ("arn", True, "arn"), "ArnNotLike": ("arn", True, "arn"),
    "NumericEquals": ("numeric", False, "=="), "NumericNotEquals": ("numeric", True, "=="),
    "NumericLessThan": ("numeric", False, "<"), "NumericLessThanEquals": ("numeric", False, "<="),
    "NumericGreaterThan": ("numeric", False, ">"), "NumericGreaterThanEquals": ("numeric", False, ">="),
    "DateEquals": ("date", False, "=="), "DateNotEquals": ("date", True, "=="),
    "DateLessThan": ("date", False, "<"), "DateLessThanEquals": ("date", False, "<="),
    "DateGreaterThan": ("date", False, ">"), "DateGreaterThanEquals": ("date", False, ">="),
    "Bool": ("bool", False, "eq"), "BinaryEquals": ("binary", False, "eq"),
    "IpAddress": ("ip", False, "in"), "NotIpAddress": ("ip", True, "in"),
    "Null": ("null", False, "null"),
}
_BASES_LOWER = {name.lower(): name for name in _BASES}
_QUALIFIERS = {"foranyvalue": "ForAnyValue", "forallvalues": "ForAllValues"}

# Keys whose value says where the request came from: "the request comes from X" reads best.
_SOURCE_KEYS = {"aws:sourcearn", "aws:sourceaccount", "aws:sourceip", "aws:sourcevpc", "aws:sourcevpce",
                "aws:sourceowner", "aws:sourceorgid"}
# The Referer is used as a shared secret between a CloudFront origin and a website bucket (AWS
# Knowledge Center, "S3 website endpoint 403"); these clauses land in reports, so never print it.
SECRET_KEYS = {"aws:referer"}


@dataclass(frozen=True)
class Operator:
    """A parsed condition operator: `ForAnyValue:StringNotLikeIfExists` -> its parts."""

    name: str
    base: str
    family: str
    negated: bool
    comparison: str
    if_exists: bool = False
    qualifier: str = ""


def parse_operator(name: str) -> Optional[Operator]:
    """The operator `name` spells, or None when AWS has no such operator."""
    rest, qualifier = name, ""
    if ":" in rest:
        prefix, rest = rest.split(":", 1)
        qualifier = _QUALIFIERS.get(prefix.lower(), "")
        if not qualifier:
            return None
    if_exists = False
    if rest.lower().endswith("ifexists") and rest.lower() != "ifexists":
        rest, if_exists = rest[: -len("IfExists")], True
    base = _BASES_LOWER.get(rest.lower())
    if base is None or (if_exists and base == "Null"):  # AWS: IfExists works with every operator but Null
        return None
    family, negated, comparison = _BASES[base]
    return Operator(name, base, family, negated, comparison, if_exists, qualifier)


# --- policy variables (their values are literal text to the wildcard matcher, wizard.analysis.wildcards) ---

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE_BODY = re.compile(r"^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


class Unresolved(Exception):
    """A policy variable names a key the request has no single value for (and gives no default)."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable


def expand(pattern: str, context: Context, variables: bool) -> Chunks:
    """Splits `pattern` into policy text and substituted variable values.

    Variables exist only in policies with Version 2012-10-17 (IAM "Version" element: under
    2008-10-17 `${aws:username}` is literal text). `${*}`, `${?}` and `${$}` are the literal
    characters; `${key, 'default'}` falls back to the default (IAM "Policy variables").
    """
    if not variables or "${" not in pattern:
        return ((pattern, False),)
    chunks: List[Tuple[str, bool]] = []
    pos = 0
    for match in _VARIABLE.finditer(pattern):
        chunks.append((pattern[pos:match.start()], False))
        body = match.group(1)
        if body in _ESCAPES:
            chunks.append((_ESCAPES[body], True))
        else:
            parsed = _VARIABLE_BODY.match(body)
            if not parsed:
                raise Unresolved(body)
            values = context.get(parsed.group(1).lower())
            if values is not None and len(values) == 1:
                chunks.append((values[0], True))
            elif parsed.group(2) is not None:
                chunks.append((parsed.group(2).replace("''", "'"), True))
            else:
                raise Unresolved(parsed.group(1))
        pos = match.end()
    chunks.append((pattern[pos:], False))
    return tuple(c for c in chunks if c[0])


def plain(chunks: Chunks) -> str:
    """The chunks as one string, wildcards left as written."""
    return "".join(text for text, _ in chunks)


# --- value comparisons ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
                       r"\s*([Zz]|[+-]\d{2}:?\d{2})?$")


def _number(text: str) -> Optional[float]:
    if not _NUMBER.match(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _date(text: str) -> Optional[float]:
    """Seconds since the epoch for an ISO 8601 date or an epoch number (both accepted by AWS)."""
    number = _number(text)
    if number is not None:
        return number
    m = _ISO_DATE.match(text.strip())
    if not m:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    try:
        moment = _dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                              int(second or 0), tzinfo=_dt.timezone.utc)
    except ValueError:
        return None
    offset = 0
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * 60 * (1 if zone[0] == "+" else -1)
    try:
        stamp = moment.timestamp()
    except (OverflowError, ValueError):
        return None
    return stamp - offset + (float("0." + fraction) if fraction else 0.0)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        try:
            return ipaddress.ip_network(text.strip(), strict=False).network_address
        except ValueError:
            return None


_ORDER = {"==": lambda a, b: a == b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
          ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _matches(op: Operator, chunks: Chunks, actual: str) -> bool:
    """Whether one request value satisfies one policy value, before negation."""
    text = plain(chunks)
    if op.family == "string" and op.comparison == "like":
        return glob_regex(chunks).fullmatch(actual) is not None
    if op.family == "string" and op.comparison == "eqi":
        return text.lower() == actual.lower()
    if op.family == "arn":
        return glob_regex(chunks, arn=True).fullmatch(actual) is not None
    if op.family in ("numeric", "date"):
        parse = _number if op.family == "numeric" else _date
        left, right = parse(actual), parse(text)
        return left is not None and right is not None and _ORDER[op.comparison](left, right)
    if op.family == "bool":
        return text.lower() in ("true", "false") and text.lower() == actual.lower()
    if op.family == "ip":
        address = _address(actual)
        try:
            network = ipaddress.ip_network(text.strip(), strict=False)
        except ValueError:
            return False
        return address is not None and address in network
    return text == actual  # StringEquals, BinaryEquals


# --- describing ----------------------------------------------------------------------------------


def show(key: str, value: str, limit: int = 120) -> str:
    """A value as a reason may print it: secrets redacted, long values shortened."""
    if key.lower() in SECRET_KEYS:
        return f"<secret, {len(value)} characters>"
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _listing(key: str, values: Sequence[str], joiner: str = "one of ") -> str:
    shown = [show(key, v) for v in values[:5]]
    more = f" (+{len(values) - 5} more)" if len(values) > 5 else ""
    if len(shown) == 1:
        return shown[0]
    return joiner + ", ".join(shown) + more


_ORDER_WORDS = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}


def wanted(op: Operator, key: str, values: Sequence[str]) -> str:
    """What the condition asks for, in words: `anything but vpce-1a2b3c4d`, `an address in 10.0.0.0/8`."""
    if not values:
        return "a value from an empty list"
    if op.family == "null":
        return " or ".join(f"no {key} at all" if v.lower() == "true" else f"{key} to be present" for v in values[:2])
    if op.family == "ip":
        return ("an address outside " if op.negated else "an address in ") + _listing(key, values, "any of ")
    if op.family in ("numeric", "date") and op.comparison != "==":
        noun = "a number " if op.family == "numeric" else "a time "
        return noun + _ORDER_WORDS[op.comparison] + " " + _listing(key, values)
    like = op.comparison == "like"
    if op.negated:
        return ("a value not like " if like else "anything but ") + _listing(key, values, "any of ")
    text = ("a value like " if like else "") + _listing(key, values)
    return text + (" (any case)" if op.comparison == "eqi" else "")


def has(key: str, actual: Optional[Tuple[str, ...]]) -> str:
    """What the request holds for `key`: `the request comes from X`, `the request has no aws:Referer`."""
    if not actual:
        return f"the request has no {key}"
    values = _listing(key, list(actual), "")
    return f"the request comes from {values}" if key.lower() in _SOURCE_KEYS else f"the request's {key} is {values}"


@dataclass(frozen=True)
class ConditionCheck:
    """One `operator: {key: values}` pair judged against a request, with the clause that explains it."""

    operator: str
    key: str
    met: bool
    clause: str


def check(operator: str, key: str, values: Sequence[str], context: Context, variables: bool) -> ConditionCheck:
    """Judges one condition key under one operator against the request context."""
    op = parse_operator(operator)
    if op is None:
        # AWS documents no evaluation for an unknown operator: the policy grammar lists the valid ones
        # and S3 refuses to store a policy outside it (PutBucketPolicy -> MalformedPolicy).
        return ConditionCheck(operator, key, False, f"its condition operator {operator!r} is not one AWS knows "
                              "(S3 would refuse to store this policy), so the statement cannot apply")
    actual = context.get(key.lower())
    present = bool(actual)
    # A value whose policy variable the request has no value for matches nothing (IAM "Variables and
    # tags": AWS cannot resolve it). It must not fail the whole condition: the absent-key rule below
    # still decides first, and the other values are still ORed (issue 14 item 7, tests/oracle).
    expanded: List[Chunks] = []
    unresolved: List[str] = []
    for value in values:
        try:
            expanded.append(expand(value, context, variables))
        except Unresolved as exc:
            unresolved.append(exc.variable)
    described = wanted(op, key, [plain(c) for c in expanded] + [f"${{{v}}}" for v in unresolved])
    if op.family == "null":
        met = any((v.lower() == "true") != present for v in values if v.lower() in ("true", "false"))
    elif not present:
        # "If the key ... is not present in the request context ... the condition is false. If the policy
        # condition requires that the key is not matched, such as StringNotLike ..., the condition is
        # true" (Condition operators). ForAllValues is true and ForAnyValue false for a missing key
        # ("Single-valued vs. multivalued context keys"), and that holds even with IfExists.
        if op.qualifier:
            met = op.qualifier == "ForAllValues"
        else:
            met = op.if_exists or op.negated
    else:
        def one(value: str) -> bool:
            positive = any(_matches(op, chunks, value) for chunks in expanded)
            # Several values of a negated operator combine with NOR ("Conditions with multiple values").
            return not positive if op.negated else positive
        met = all(one(v) for v in actual) if op.qualifier == "ForAllValues" else any(one(v) for v in actual)
    joiner = " and " if met else ", "
    holds = has(key, actual)
    if present and key.lower() in SECRET_KEYS and op.family != "null":
        same = any(_matches(op, chunks, actual[0]) for chunks in expanded)
        holds = (f"the request's {key} matches it (values redacted)" if same else
                 f"the request's {key} is a different value ({len(actual[0])} characters; values redacted)")
    if unresolved:
        holds += (f" (the request has no value for ${{{unresolved[0]}}}, so that value matches nothing)"
                  if len(unresolved) == 1 else
                  f" (the request has no value for {', '.join('${' + v + '}' for v in unresolved)}, so those "
                  "values match nothing)")
    return ConditionCheck(operator, key, met, f"its condition {operator} {key} wants {described}{joiner}{holds}")


def describe_condition(operator: str, key: str, values: Sequence[str]) -> str:
    """A condition without a request: `its condition StringEquals AWS:SourceArn wants arn:...`."""
    op = parse_operator(operator)
    if op is None:
        return f"its condition operator {operator!r} is not one AWS knows"
    return f"its condition {operator} {key} wants {wanted(op, key, list(values))}"
