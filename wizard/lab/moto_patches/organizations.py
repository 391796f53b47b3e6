"""Provides Organizations member accounts with chosen ids (invite + accept handshake) and the
member-account view of organization policies (denied unless the management account delegated it)."""

from __future__ import annotations

import fnmatch
import json
import threading
from typing import Any, Dict, Optional

from ._common import install, wrap

_LOCK = threading.Lock()
_HANDSHAKES: Dict[str, Dict[str, Any]] = {}  # handshake id -> {master, target, handshake}
_DELEGATION: Dict[str, str] = {}  # management account id -> resource-based delegation policy (JSON)
_JOINED: set = set()  # accounts that joined by handshake (moto's reset keeps its member map)

# The reads a member account may be delegated (AWS Organizations "Delegated administrator for AWS
# Organizations": ListParents, ListRoots, ListPoliciesForTarget, DescribePolicy and the like).
_DELEGABLE_READS = {"list_parents": "ListParents", "list_roots": "ListRoots",
                    "list_policies_for_target": "ListPoliciesForTarget", "describe_policy": "DescribePolicy",
                    "list_children": "ListChildren", "list_accounts": "ListAccounts"}


def clear_organizations_state() -> None:
    """Forget open handshakes, delegation policies and the memberships handshakes made."""
    with _LOCK:
        _HANDSHAKES.clear()
        _DELEGATION.clear()
        joined = list(_JOINED)
        _JOINED.clear()
    if joined:
        from moto.organizations import models

        for account in joined:
            models.organizations_backends.master_accounts.pop(account, None)


class _AccessDenied(Exception):
    pass


def _error(code: str, message: str):
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, message)


def _handshake_id() -> str:
    from moto.moto_api._internal import mock_random

    return "h-" + "".join(mock_random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))


def _delegated(master: str, member: str, operation: str) -> bool:
    """Whether the management account's delegation policy lets `member` call organizations:`operation`."""
    with _LOCK:
        text = _DELEGATION.get(master)
    if not text:
        return False
    statements = json.loads(text).get("Statement") or []
    for st in [statements] if isinstance(statements, dict) else statements:
        if st.get("Effect") != "Allow":
            continue
        principals = (st.get("Principal") or {}).get("AWS") if isinstance(st.get("Principal"), dict) else st.get("Principal")
        principals = [principals] if isinstance(principals, str) else list(principals or [])
        if not any(p in (member, f"arn:aws:iam::{member}:root") for p in principals):
            continue
        actions = st.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        if any(fnmatch.fnmatch(f"organizations:{operation}".lower(), a.lower()) for a in actions):
            return True
    return False


def patch_invitations() -> None:
    """Add InviteAccountToOrganization and AcceptHandshake (moto has neither).

    moto can make member accounts only with CreateAccount, whose id is random, so the lab's
    diagnosing account (123456789012) could never be a member, and RCPs (which "don't affect
    resources in the management account", AWS Organizations "Resource control policies") could
    never apply to its buckets. Following AWS Organizations "Inviting an AWS account to join your
    organization": the management account invites an account id, the invited account accepts the
    handshake, and it joins under the root with the default FullAWSAccess SCP and RCP attached.
    """
    from moto.organizations import models, responses

    def invite_account_to_organization(self):
        params = self.request_params
        backend = self.organizations_backend
        if backend.org is None:
            raise models.AWSOrganizationsNotInUseException
        target = str((params.get("Target") or {}).get("Id") or "")
        handshake = {"Id": _handshake_id(), "State": "OPEN", "Action": "INVITE",
                     "Parties": [{"Id": backend.org.id, "Type": "ORGANIZATION"}, {"Id": target, "Type": "ACCOUNT"}],
                     "Resources": [{"Value": backend.org.id, "Type": "ORGANIZATION"}]}
        with _LOCK:
            _HANDSHAKES[handshake["Id"]] = {"master": self.current_account, "target": target, "handshake": handshake}
        return json.dumps({"Handshake": handshake})

    def accept_handshake(self):
        with _LOCK:
            entry = _HANDSHAKES.get(str(self.request_params.get("HandshakeId")))
        if entry is None or entry["target"] != self.current_account:
            raise _error("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.")
        master = models.organizations_backends[entry["master"]][self.partition]
        account = models.FakeAccount(master.org, AccountName=f"member-{entry['target']}",
                                     Email=f"{entry['target']}@example.com")
        account.id = entry["target"]
        account.joined_method = "INVITED"
        master.accounts.append(account)
        for policy_id in (models.utils.DEFAULT_SCP_POLICY_ID, models.utils.DEFAULT_RCP_POLICY_ID):
            master.attach_policy(PolicyId=policy_id, TargetId=account.id)
        models.organizations_backends.master_accounts[account.id] = (entry["master"], self.partition)
        with _LOCK:
            _JOINED.add(account.id)
        handshake = dict(entry["handshake"], State="ACCEPTED")
        return json.dumps({"Handshake": handshake})

    install(responses.OrganizationsResponse, "invite_account_to_organization", invite_account_to_organization)
    install(responses.OrganizationsResponse, "accept_handshake", accept_handshake)


def patch_member_reads() -> None:
    """Member accounts read organization policies only when delegated, as on AWS.

    moto answered a member account's ListPoliciesForTarget from the member's own, empty backend
    (AccountNotFoundException / AWSOrganizationsNotInUseException). AWS answers
    AccessDeniedException, unless the management account attached a resource-based delegation policy
    that allows the member those reads (PutResourcePolicy, AWS Organizations "Delegated administrator
    for AWS Organizations"); then the member sees the organization as the management account does.
    Adds PutResourcePolicy / DescribeResourcePolicy, which moto lacks.
    """
    from moto.organizations import models, responses

    def put_resource_policy(self):
        if self.organizations_backend.org is None:
            raise models.AWSOrganizationsNotInUseException
        content = str(self.request_params.get("Content") or "{}")
        with _LOCK:
            _DELEGATION[self.current_account] = content
        return json.dumps({"ResourcePolicy": {"ResourcePolicySummary": {
            "Id": "rp-" + self.current_account[-8:], "Arn": f"arn:aws:organizations::{self.current_account}:"
                                                      f"resourcepolicy/{self.organizations_backend.org.id}"},
            "Content": content}})

    def describe_resource_policy(self):
        master = _master_of(self.current_account, self.partition) or self.current_account
        with _LOCK:
            content = _DELEGATION.get(master)
        if content is None:
            raise _error("ResourcePolicyNotFoundException", "We can't find a resource policy request with the "
                         "parameter that you specified.")
        return json.dumps({"ResourcePolicy": {"Content": content}})

    install(responses.OrganizationsResponse, "put_resource_policy", put_resource_policy)
    install(responses.OrganizationsResponse, "describe_resource_policy", describe_resource_policy)

    for method, operation in _DELEGABLE_READS.items():
        def make(original, operation=operation):
            def read(self):
                master = _master_of(self.current_account, self.partition)
                if master is None or self.organizations_backend.org is not None:
                    return original(self)
                if not _delegated(master, self.current_account, operation):
                    raise _error("AccessDeniedException", "You don't have permissions to access this resource.")
                own = self.current_account
                self.current_account = master  # read as the management account, which delegated it
                try:
                    return original(self)
                finally:
                    self.current_account = own
            return read

        wrap(responses.OrganizationsResponse, method, make)


def _master_of(account: str, partition: str) -> Optional[str]:
    from moto.organizations import models

    entry = models.organizations_backends.master_accounts.get(account)
    return entry[0] if entry else None


def apply() -> None:
    """Apply the Organizations patches (idempotent)."""
    patch_invitations()
    patch_member_reads()
