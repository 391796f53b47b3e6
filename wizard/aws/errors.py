"""Provides the translation of botocore failures into what a person can act on.

Each failure becomes a status (`denied` or `error`), one sentence, and for a denial the IAM
action that was missing, so a probe's part of the path becomes "unknown", never a false "ok".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# IAM action names that differ from "service:Operation".
_IAM_ACTIONS = {
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "GetBucketCors"): "s3:GetBucketCORS",
    ("s3", "GetBucketRequestPayment"): "s3:GetBucketRequestPayment",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketOwnershipControls"): "s3:GetBucketOwnershipControls",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetObjectAcl"): "s3:GetObjectAcl",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
    ("cloudfront", "GetCloudFrontOriginAccessIdentity"): "cloudfront:GetCloudFrontOriginAccessIdentity",
    ("elbv2", "DescribeLoadBalancers"): "elasticloadbalancing:DescribeLoadBalancers",
}

_SERVICE_PREFIX = {"elbv2": "elasticloadbalancing", "wafv2": "wafv2", "monitoring": "cloudwatch"}

DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "Forbidden",
    "403",
    "UnauthorizedAccess",
    "AccessDeniedForDependency",
}
EXPIRED_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
                 "UnrecognizedClientException", "InvalidAccessKeyId", "SignatureDoesNotMatch"}


@dataclass(frozen=True)
class AwsFailure:
    """A failed AWS read, said plainly."""

    status: str  # "denied" or "error"
    message: str
    code: str = ""
    missing_action: Optional[str] = None


def iam_action(service: str, operation: str) -> str:
    """The IAM action that authorises a service operation (e.g. s3 HeadObject -> s3:GetObject)."""
    if (service, operation) in _IAM_ACTIONS:
        return _IAM_ACTIONS[(service, operation)]
    return f"{_SERVICE_PREFIX.get(service, service)}:{operation}"


def explain(exc: BaseException, service: str = "", operation: str = "") -> AwsFailure:
    """Turn any exception from a boto3 call into an AwsFailure (never raises)."""
    # Imported here so that importing this module stays cheap for the pure layers' tests.
    from botocore import exceptions as bx

    from .guard import WriteRefused

    where = f"{service}:{operation}" if service else "AWS"
    if isinstance(exc, WriteRefused):
        return AwsFailure("error", str(exc), "WriteRefused")
    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {}) or {}
        code = str(err.get("Code", ""))
        msg = str(err.get("Message", "") or "")
        if code in DENIED_CODES:
            action = iam_action(service, operation)
            return AwsFailure("denied", f"{where} was denied: the caller lacks {action}.", code, action)
        if code in EXPIRED_CODES:
            return AwsFailure("denied", f"{where}: the credentials were rejected ({code}). Refresh them "
                              "(aws sso login, or new keys) and run again.", code)
        if code in {"Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown"}:
            return AwsFailure("error", f"{where} was throttled and retries ran out; try again in a minute.", code)
        return AwsFailure("error", f"{where} failed: {code} {msg}".strip(), code)
    if isinstance(exc, (bx.UnauthorizedSSOTokenError, bx.SSOTokenLoadError, bx.TokenRetrievalError)):
        return AwsFailure("denied", "The AWS SSO session has expired or was never started: run "
                          "`aws sso login` (with your --profile) and try again.", "SSOLogin")
    if isinstance(exc, bx.NoCredentialsError):
        return AwsFailure("denied", "No AWS credentials were found: set AWS_PROFILE or pass --profile, "
                          "or run on a host with an instance role.", "NoCredentials")
    if isinstance(exc, bx.ProfileNotFound):
        return AwsFailure("error", f"{exc}. List profiles with `aws configure list-profiles`.", "ProfileNotFound")
    if isinstance(exc, bx.NoRegionError):
        return AwsFailure("error", "No AWS region is set: pass --region or set AWS_REGION.", "NoRegion")
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return AwsFailure("error", f"{where}: could not reach the AWS endpoint ({exc}). Check the network "
                          "or the region.", "Unreachable")
    if isinstance(exc, bx.ParamValidationError):
        return AwsFailure("error", f"{where}: invalid parameters ({exc}).", "ParamValidation")
    if isinstance(exc, bx.BotoCoreError):
        return AwsFailure("error", f"{where} failed: {exc}", type(exc).__name__)
    return AwsFailure("error", f"{where} failed: {type(exc).__name__}: {exc}", type(exc).__name__)
