"""Provides the KMS reads behind an SSE-KMS object: who manages the key (DescribeKey's KeyManager),
which account holds it, and its key policy when that account is the caller's.

GetKeyPolicy works only from the key's own account ("cross-account use: no" in the KMS API
reference), so for a key in another account it is not sent: the policy is then unknown and the
reason says which account's profile can read it. DescribeKey may work across accounts (when the
key policy allows it); a refusal leaves the manager unknown, never assumed.

The key's alias (what people call it: alias/assets) comes from ListAliases filtered by KeyId, which
also works only in the key's own account. It only names the key: a refusal leaves the alias
unknown (the key id is shown instead) and never fails the read.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from botocore.exceptions import ClientError

# ServerSideEncryption values that mean "a KMS key decrypts this object" (S3 API reference).
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def key_account(key_id: str) -> Optional[str]:
    """The account in a key (or alias) ARN, None for a bare key id or alias name."""
    parts = key_id.split(":")
    return parts[4] if key_id.startswith("arn:") and len(parts) > 5 and parts[4] else None


def alias_of(key_id: str) -> Optional[str]:
    """The alias a key reference already names (alias/NAME or an alias ARN), else None."""
    if key_id.startswith("alias/"):
        return key_id
    if key_id.startswith("arn:") and ":alias/" in key_id:
        return "alias/" + key_id.split(":alias/", 1)[1]
    return None


def key_aliases(kms, key_id: str) -> Dict[str, Any]:
    """{"key_alias": the key's alias or None, "alias_error": why it is unknown, else None}.

    A key may have several aliases: the first by name is shown, and how many more there are."""
    try:
        aliases = kms.list_aliases(KeyId=key_id).get("Aliases") or []
    except ClientError as exc:
        return {"key_alias": None, "alias_error": f"kms:ListAliases failed ({_code(exc)})"}
    names = sorted(str(a.get("AliasName")) for a in aliases if a.get("AliasName"))
    if not names:
        return {"key_alias": None, "alias_error": None}
    more = f" (+{len(names) - 1} more)" if len(names) > 1 else ""
    return {"key_alias": names[0] + more, "alias_error": None}


def key_facts(access, key_id: str, caller_account: Optional[str]) -> Dict[str, Any]:
    """KeyManager (AWS or CUSTOMER), the key's account and, same-account only, its default policy."""
    region = key_id.split(":")[3] if key_id.startswith("arn:") else None
    kms = access.client("kms", region=region)
    out: Dict[str, Any] = {"key_manager": None, "key_account": key_account(key_id), "key_policy": None,
                           "key_policy_error": None, "key_alias": alias_of(key_id), "alias_error": None}
    try:
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        out["key_manager"] = meta.get("KeyManager")
        out["key_account"] = meta.get("AWSAccountId") or out["key_account"]
    except ClientError as exc:
        out["describe_error"] = f"kms:DescribeKey failed ({_code(exc)})"
    same_account = not (caller_account and out["key_account"] and out["key_account"] != caller_account)
    # The alias and the policy depend on DescribeKey's answer only, not on each other: read at once.
    want_alias = out["key_alias"] is None and same_account  # ListAliases answers for the caller's own keys only
    if out["key_manager"] == "AWS":
        read_policy = dict  # an AWS managed key's policy cannot be changed: reading it decides nothing
    elif not same_account:
        error = (f"the key is in account {out['key_account']}, and kms:GetKeyPolicy works only "
                 "from the key's own account: re-run with that account's profile (--profile)")
        read_policy = lambda: {"key_policy_error": error}  # noqa: E731
    else:
        read_policy = lambda: _key_policy(kms, key_id)  # noqa: E731
    from .together import together

    alias, read = together(lambda: key_aliases(kms, key_id) if want_alias else {}, read_policy)
    out.update(alias)
    out.update(read)
    return out


def _key_policy(kms, key_id: str) -> Dict[str, Any]:
    try:
        return {"key_policy": kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"]}
    except ClientError as exc:
        return {"key_policy_error": f"kms:GetKeyPolicy failed ({_code(exc)})"}
