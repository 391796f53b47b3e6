"""moto's opt-in IAM mode for one lab, so AWS refuses for real: identity policies are enforced for
every caller except the lab's own builder and edge simulator, and everything is restored after.

Two moto 5.2.5 quirks are worked around here, in moto, not in edgewiz (MOTO-AUDIT "opt-in IAM
mode"): moto signs a bodiless CloudFront GET with the request's headers as a form body, so every
CloudFront call fails SignatureDoesNotMatch; and IAM mode rejects the lab's dummy keys, which the
simulator needs to read the state it serves. Auth mode is process-wide, so it must only be on while
one test holds it (pytest runs tests one at a time here).
"""

from __future__ import annotations

import json
import urllib.request
from contextlib import contextmanager
from typing import Dict, Iterable, Iterator

from wizard.aws.iam_policy import least_privilege_policy


def _reset_auth(server, value: str) -> None:
    request = urllib.request.Request(f"{server.endpoint}/moto-api/reset-auth", data=value.encode(), method="POST",
                                     headers=dict(server.control_headers(), **{"Content-Type": "text/plain"}))
    urllib.request.urlopen(request, timeout=10).read()


# moto names an action after the request's signing name, not the IAM prefix: CloudWatch signs as
# "monitoring", so moto checks monitoring:GetMetricData where AWS checks cloudwatch:GetMetricData.
_MOTO_ALIASES = {"cloudwatch": "monitoring"}


def _with_moto_aliases(actions: Iterable[str]) -> list:
    out = []
    for action in actions:
        out.append(action)
        prefix, _, name = action.partition(":")
        if prefix in _MOTO_ALIASES:
            out.append(f"{_MOTO_ALIASES[prefix]}:{name}")
    return out


class IamMode:
    """Creates IAM users in the lab whose keys moto authenticates and authorises."""

    def __init__(self, lab) -> None:
        self._iam = lab.aws.client("iam")

    def user(self, name: str, actions: Iterable[str]) -> Dict[str, str]:
        """A user allowed exactly `actions` (as edgewiz's policy document); its credentials for AwsAccess."""
        self._iam.create_user(UserName=name)
        self._iam.put_user_policy(UserName=name, PolicyName="edgewiz-read-only",
                                  PolicyDocument=json.dumps(least_privilege_policy(_with_moto_aliases(actions))))
        key = self._iam.create_access_key(UserName=name)["AccessKey"]
        return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


@contextmanager
def iam_enforced(lab) -> Iterator[IamMode]:
    """IAM mode on the running lab's AWS server for the duration of the block."""
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.iam.access_control import IAMRequestBase

    build_request = IAMRequestBase._create_aws_request
    authorize = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def _create_aws_request(self):
        request = build_request(self)
        if not self._body and self._method in ("GET", "HEAD", "DELETE"):
            request.data = b""  # what the client signed: no body
        return request

    lab_key = lab.aws.access_key

    def _authorize(self, iam_request_cls, resource="*"):
        if f"Credential={lab_key}/" in (self.headers.get("Authorization") or ""):
            return None  # the lab's own clients (builder, simulator) act as the account root
        return authorize(self, iam_request_cls, resource)

    mode = IamMode(lab)
    IAMRequestBase._create_aws_request = _create_aws_request
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _authorize
    try:
        _reset_auth(lab.aws, "0")
        yield mode
    finally:
        _reset_auth(lab.aws, "inf")
        IAMRequestBase._create_aws_request = build_request
        ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize
