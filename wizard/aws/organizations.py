"""Provides the Organizations read: the service control policies and resource control policies that
apply to an account (its own and those of every OU up to the root), and who manages the organization."""

from __future__ import annotations

from typing import Any, Dict, List

from botocore.exceptions import ClientError

from .session import AwsAccess

_FULL_ACCESS = "p-FullAWS"  # AWS's default FullAWSAccess policy id starts like this; it denies nothing


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _attached(org, targets: List[str], policy_type: str) -> List[Dict[str, Any]]:
    policies: Dict[str, Dict[str, Any]] = {}
    for target in targets:
        page = org.list_policies_for_target(TargetId=target, Filter=policy_type)
        for summary in page.get("Policies") or []:
            if summary["Id"] in policies or summary["Id"].startswith(_FULL_ACCESS) or summary.get("AwsManaged"):
                continue
            policy = org.describe_policy(PolicyId=summary["Id"])["Policy"]
            policies[summary["Id"]] = {"id": summary["Id"], "name": summary.get("Name"), "target": target,
                                       "content": policy.get("Content")}
    return list(policies.values())


def service_control_policies(access: AwsAccess, account: str) -> Dict[str, Any]:
    """SCPs and RCPs on the account and its parents; `in_organization` is False outside an organization.

    `management_account` is the organization's management account (SCPs never restrict it and RCPs
    never cover its resources). `rcps` is None with `rcp_error` when the RCP listing failed while
    the SCP one worked (an organization that has not enabled RCPs answers so).
    """
    org = access.client("organizations")
    try:
        described = org.describe_organization().get("Organization") or {}
    except ClientError as exc:
        if _code(exc) == "AWSOrganizationsNotInUseException":
            return {"in_organization": False, "policies": [], "rcps": []}
        raise
    targets: List[str] = [account]
    current = account
    for _ in range(6):  # OUs nest at most five deep under the root
        parents = org.list_parents(ChildId=current).get("Parents") or []
        if not parents:
            break
        current = parents[0]["Id"]
        targets.append(current)
        if parents[0].get("Type") == "ROOT":
            break
    out: Dict[str, Any] = {"in_organization": True, "account": account, "organization_id": described.get("Id"),
                           "management_account": described.get("MasterAccountId"),
                           "policies": _attached(org, targets, "SERVICE_CONTROL_POLICY"), "rcps": None,
                           "rcp_error": None}
    try:
        out["rcps"] = _attached(org, targets, "RESOURCE_CONTROL_POLICY")
    except ClientError as exc:
        out["rcp_error"] = f"organizations:ListPoliciesForTarget (RCPs) failed ({_code(exc)})"
    return out
