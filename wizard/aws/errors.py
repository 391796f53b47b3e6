"""Provides the translation of botocore failures into what a person can act on.

Each failure becomes a status (`denied` or `error`), one sentence, and for a denial the IAM
action that was missing, so a probe's part of the path becomes "unknown", never a false "ok".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .iam_policy import iam_action  # the one operation -> IAM action table, shared with the policy

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
                 "UnrecognizedClientException", "InvalidAccessKeyId", "SignatureDoesNotMatch",
                 "AuthFailure", "InvalidToken", "TokenRefreshRequired"}
# The codes botocore's standard retry mode treats as throttling (botocore/retries/standard.py).
THROTTLED_CODES = {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                   "TooManyRequestsException", "ProvisionedThroughputExceededException",
                   "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                   "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                   "EC2ThrottledException"}
SERVER_CODES = {"InternalError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
                "InternalServerError", "InternalServiceError", "RequestTimeout", "RequestTimeoutException"}


class UnsupportedPartition(Exception):
    """The region is in a partition edgewiz cannot read (its message says so in one sentence)."""


@dataclass(frozen=True)
class AwsFailure:
    """A failed AWS read, said plainly."""

    status: str  # "denied" or "error"
    message: str
    code: str = ""
    missing_action: Optional[str] = None


def _int(value: object) -> int:
    try:
        return int(value or 0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def explain(exc: BaseException, service: str = "", operation: str = "") -> AwsFailure:
    """Turn any exception from a boto3 call into an AwsFailure (never raises)."""
    # Imported here so that importing this module stays cheap for the pure layers' tests.
    from botocore import exceptions as bx

    from ..deadline import DeadlineExceeded
    from .guard import WriteRefused

    where = f"{service}:{operation}" if service else "AWS"
    if isinstance(exc, UnsupportedPartition):
        return AwsFailure("error", str(exc), "UnsupportedPartition")
    if isinstance(exc, WriteRefused):
        return AwsFailure("error", str(exc), "WriteRefused")
    if isinstance(exc, DeadlineExceeded):
        return AwsFailure("error", f"{where} ran out of time: {exc}.", "Timeout")
    if isinstance(exc, (bx.ConnectTimeoutError, bx.ReadTimeoutError)):
        return AwsFailure("error", f"{where} ran out of time: the AWS endpoint did not answer ({exc}). Check "
                          "the network or the region, or allow more time (--timeout).", "Timeout")
    if isinstance(exc, bx.ClientError):
        err = exc.response.get("Error", {}) or {}
        meta = exc.response.get("ResponseMetadata", {}) or {}
        code = str(err.get("Code", "") or "")
        msg = str(err.get("Message", "") or "")
        status = _int(meta.get("HTTPStatusCode"))
        tries = 1 + _int(meta.get("RetryAttempts"))
        if not code and status:
            # An error body botocore could not parse (a proxy's HTML page, an emulator's odd XML):
            # the HTTP status still says what happened, and a 403 is still a refusal.
            code = str(status)
        if code in DENIED_CODES:
            action = iam_action(service, operation)
            return AwsFailure("denied", f"{where} was denied: the caller lacks {action}.", code, action)
        if code in EXPIRED_CODES:
            return AwsFailure("denied", f"{where}: the credentials were rejected ({code}). Refresh them "
                              "(aws sso login, or new keys) and run again.", code)
        if code in THROTTLED_CODES:
            return AwsFailure("error", f"{where} was throttled ({code}) on all {tries} tries, so edgewiz stopped "
                              "waiting; try again in a minute.", code)
        if code in SERVER_CODES or status >= 500:
            return AwsFailure("error", f"{where}: AWS answered a server error ({code}, HTTP {status}) on all "
                              f"{tries} tries; try again in a minute.", code)
        return AwsFailure("error", f"{where} failed: {code} {msg}".strip(), code)
    if isinstance(exc, (bx.UnauthorizedSSOTokenError, bx.SSOTokenLoadError, bx.TokenRetrievalError)):
        return AwsFailure("denied", "The AWS SSO session has expired or was never started: run "
                          "`aws sso login` (with your --profile) and try again.", "SSOLogin")
    if isinstance(exc, (bx.CredentialRetrievalError, bx.PartialCredentialsError)):
        return AwsFailure("denied", f"The AWS credentials could not be loaded ({exc}): refresh them "
                          "(aws sso login, or new keys) and run again.", type(exc).__name__)
    if isinstance(exc, bx.NoCredentialsError):
        return AwsFailure("denied", "No AWS credentials were found: set AWS_PROFILE or pass --profile, "
                          "or run on a host with an instance role.", "NoCredentials")
    if isinstance(exc, bx.ProfileNotFound):
        return AwsFailure("error", f"{exc}. List profiles with `aws configure list-profiles`.", "ProfileNotFound")
    if isinstance(exc, bx.NoRegionError):
        return AwsFailure("error", "No AWS region is set: pass --region or set AWS_REGION.", "NoRegion")
    if isinstance(exc, bx.EndpointConnectionError):
        return AwsFailure("error", f"{where}: could not reach the AWS endpoint ({exc}). Check the network "
                          "or the region.", "Unreachable")
    if isinstance(exc, bx.ParamValidationError):
        return AwsFailure("error", f"{where}: invalid parameters ({exc}).", "ParamValidation")
    if isinstance(exc, bx.BotoCoreError):
        return AwsFailure("error", f"{where} failed: {exc}", type(exc).__name__)
    return AwsFailure("error", f"{where} failed: {type(exc).__name__}: {exc}", type(exc).__name__)
