"""Provides the least-privilege IAM policy edgewiz needs, derived from the probe catalogue (the same
declared operations the read-only guard allows), and the one table that turns a botocore operation
into the IAM action that authorises it.

Pure: no boto3 import, so `edgewiz iam-policy` answers instantly and errors.explain() can name the
missing action of a denied call with the same table the policy is built from.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Tuple

__all__ = ["POLICY_VERSION", "iam_action", "operations_by_action", "least_privilege_policy", "policy_actions"]

POLICY_VERSION = "2012-10-17"

# botocore service names whose IAM prefix differs (Service Authorization Reference, "Actions,
# resources, and condition keys" for each service).
_SERVICE_PREFIX: Dict[str, str] = {
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "monitoring": "cloudwatch",
    "s3control": "s3",
}

# Operations whose IAM action is not "prefix:Operation". S3 is the odd one out: HEAD and the list
# calls are authorised by the read they resemble, and several names differ in case or wording
# (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations.html, each page's "Permissions").
_ACTIONS: Dict[Tuple[str, str], str] = {
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketCors"): "s3:GetBucketCORS",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    # s3control's account-level Block Public Access is an s3 action with another name.
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
}


def iam_action(service: str, operation: str) -> str:
    """The IAM action that authorises a botocore operation (s3 HeadObject -> s3:GetObject)."""
    found = _ACTIONS.get((service, operation))
    if found:
        return found
    return f"{_SERVICE_PREFIX.get(service, service)}:{operation}"


def _split(operation: str) -> Tuple[str, str]:
    service, sep, name = operation.partition(":")
    if not sep or not service or not name:
        raise ValueError(f"probe operation {operation!r} is not 'service:Operation'")
    return service, name


def operations_by_action(specs: Optional[Mapping[str, object]] = None) -> Dict[str, List[str]]:
    """IAM action -> the botocore operations ("service:Operation") that need it: by default every
    operation the probes and the commands declare (the guard's allowlist), else those of `specs`."""
    if specs is None:
        from ..probes.specs import declared_operations

        operations = sorted(f"{service}:{name}" for service, name in declared_operations())
    else:
        operations = [op for spec in specs.values() for op in getattr(spec, "operations", ())]
    out: Dict[str, List[str]] = {}
    for operation in operations:
        action = iam_action(*_split(operation))
        if operation not in out.setdefault(action, []):
            out[action].append(operation)
    return out


def policy_actions(specs: Optional[Mapping[str, object]] = None) -> List[str]:
    """Every IAM action the probes may need, sorted."""
    return sorted(operations_by_action(specs))


def _sid(prefix: str) -> str:
    # A Sid is alphanumeric only (IAM JSON policy reference, "Sid").
    return "EdgewizRead" + "".join(part.capitalize() for part in prefix.replace("-", " ").split())


def least_privilege_policy(actions: Optional[Iterable[str]] = None) -> Dict[str, object]:
    """The identity policy document: one Allow statement per service, Resource "*".

    Resource stays "*" because the probes discover which distribution, bucket and load balancer
    answer for a URL: their ARNs are not known before the walk.
    """
    grouped: Dict[str, List[str]] = {}
    for action in sorted(set(actions if actions is not None else policy_actions())):
        grouped.setdefault(action.split(":", 1)[0], []).append(action)
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {"Sid": _sid(prefix), "Effect": "Allow", "Action": names, "Resource": "*"}
            for prefix, names in sorted(grouped.items())
        ],
    }


# `edgewiz logs --athena-run` (opt-in, wizard/aws/athena_run.py): the Athena calls, the Glue catalog
# reads and the table's CREATE EXTERNAL TABLE, and the S3 writes of the query results (Athena User
# Guide, "Identity and access management in Athena": Athena acts on S3 and Glue with the caller's
# permissions).
ATHENA_RUN_ACTIONS: Tuple[str, ...] = (
    "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
    "glue:GetDatabase", "glue:GetTable", "glue:CreateTable",
)
ATHENA_OUTPUT_ACTIONS: Tuple[str, ...] = ("s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload")


def athena_statements(output_location: str = "") -> List[Dict[str, object]]:
    """The statements `--with-athena` adds: Athena and Glue on "*", and the S3 result writes on the
    output location's objects (and its bucket) when it is named, else on "*"."""
    resources: List[str] = ["*"]
    if output_location.startswith("s3://") and output_location[5:].split("/", 1)[0]:
        bucket, _, prefix = output_location[5:].partition("/")
        resources = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/{prefix}*"]
    return [
        {"Sid": "EdgewizAthenaRun", "Effect": "Allow", "Action": list(ATHENA_RUN_ACTIONS), "Resource": "*"},
        {"Sid": "EdgewizAthenaResults", "Effect": "Allow", "Action": list(ATHENA_OUTPUT_ACTIONS),
         "Resource": resources},
    ]
