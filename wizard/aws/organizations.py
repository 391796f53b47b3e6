"""Provides the Organizations read: the service control policies that apply to an account (its
own and those of every OU up to the root)."""

from __future__ import annotations

from typing import Any, Dict, List

from botocore.exceptions import ClientError

from .session import AwsAccess

_FULL_ACCESS = "p-FullAWS"  # AWS's default FullAWSAccess policy id starts like this; it denies nothing


def service_control_policies(access: AwsAccess, account: str) -> Dict[str, Any]:
    """SCPs on the account and its parents; `in_organization` is False outside an organization."""
    org = access.client("organizations")
    try:
        org.describe_organization()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "AWSOrganizationsNotInUseException":
            return {"in_organization": False, "policies": []}
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
    policies: Dict[str, Dict[str, Any]] = {}
    for target in targets:
        page = org.list_policies_for_target(TargetId=target, Filter="SERVICE_CONTROL_POLICY")
        for summary in page.get("Policies") or []:
            if summary["Id"] in policies or summary["Id"].startswith(_FULL_ACCESS) or summary.get("AwsManaged"):
                continue
            policy = org.describe_policy(PolicyId=summary["Id"])["Policy"]
            policies[summary["Id"]] = {"id": summary["Id"], "name": summary.get("Name"), "target": target,
                                       "content": policy.get("Content")}
    return {"in_organization": True, "policies": list(policies.values())}

