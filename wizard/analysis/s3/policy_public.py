"""Provides the Block Public Access reading of a bucket policy: whether S3 counts it as public ("The
meaning of public"), with one reason per Allow statement.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any, Iterator, List, Optional, Tuple

from . import policy_conditions as pc
from .policy_document import ACCOUNT, Statement, describe_principal, listing, load_statements


@dataclass(frozen=True)
class PublicVerdict:
    """Whether S3 Block Public Access counts the policy as public, with a reason per Allow statement."""

    public: bool
    reasons: List[str]

    def __bool__(self) -> bool:
        return self.public

    def __iter__(self) -> Iterator[Any]:
        return iter((self.public, self.reasons))


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
                and bool(ACCOUNT.match(parts[4])))
    if key == "aws:userid" and re.match(r"^[A-Z0-9]+:\*$", value):
        return True  # the documented exception: "AROLEID:*" (any session of one role) is fixed
    return "*" not in value and "?" not in value


def _pinned_by(st: Statement) -> Optional[str]:
    for operator, key, values in st.conditions:
        op = pc.parse_operator(operator)
        if (op is None or op.base not in _PINNING_OPERATORS or op.if_exists or op.qualifier == "ForAllValues"
                or key.lower() not in _PINNING_KEYS or not values):
            continue
        if all(_fixed_value(key.lower(), v) for v in values):
            return f"{operator} {key} {listing(list(values))}"
    return None


def _public_reason(st: Statement, label: str) -> Tuple[bool, str]:
    actions = listing(st.actions)
    who = describe_principal(st.principal, st.not_principal)
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
    statements, _ = load_statements(policy)
    judged = []
    for st in statements:
        if st.effect == "Allow":
            label = f"Statement '{st.sid}'" if st.sid else f"Statement #{st.index + 1}"
            judged.append(_public_reason(st, label))
    public = [reason for is_public, reason in judged if is_public]
    if public:
        return PublicVerdict(True, public)
    return PublicVerdict(False, [reason for _, reason in judged] or ["no statement allows anything"])
