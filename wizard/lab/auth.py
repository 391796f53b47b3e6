"""Provides LabGate: the WSGI middleware in front of the lab's moto server, so that only whoever
started the lab can read or change it, and only through the services the lab serves.

moto accepts any request: unsigned, signed with any key, and its /moto-api/ control endpoints
(state dump, reset, seed, recorder replay) need nothing at all. While `lab up` runs, any local user
could read or change the state a diagnosis is reading. The gate lets through:

- /moto-api/ (and moto's favicon) only with the per-lab token in the X-Edgewiz-Lab-Token header;
- every other request only when its SigV4 Authorization header names the lab's access key id, or a
  key the lab itself issued (sts.assume_role for another account, iam.create_access_key in the IAM
  tests: only a holder of the lab key can create those), for a service in services.LAB_SERVICES
  (for Lambda, only the state paths in services.LAMBDA_PATHS: never an invoke).

The signature itself is not verified (moto does not either); the random key id is what a caller
must know, and it only reaches the terminal of whoever started the lab.
"""

from __future__ import annotations

import hmac
import re
from typing import Any, Callable, FrozenSet, Iterable, List, Optional, Tuple
from xml.sax.saxutils import escape

from .services import LAB_SERVICES, LAMBDA_PATHS, REFUSED_PATHS, signing_names

TOKEN_HEADER = "X-Edgewiz-Lab-Token"
_TOKEN_ENVIRON = "HTTP_" + TOKEN_HEADER.upper().replace("-", "_")
_CREDENTIAL = re.compile(r"^AWS4-HMAC-SHA256\s+Credential=([A-Za-z0-9]{1,128})/\d{8}/[a-z0-9-]{1,40}/([a-z0-9-]{1,60})/aws4_request\s*,")

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


def _known_to_moto(access_key_id: str) -> bool:
    """True when moto issued this key (an IAM user's key, or assumed-role credentials) in any account."""
    from moto.iam.models import iam_backends

    for _account_id, account in list(iam_backends.items()):  # list(): other threads may add accounts
        for partition in list(account.keys()):
            if access_key_id in account[partition].access_keys:
                return True
    return False


class LabGate:
    """Wraps moto's WSGI app; see the module docstring for what passes."""

    def __init__(self, app: WsgiApp, access_key_id: str, token: str,
                 services: Optional[FrozenSet[str]] = None) -> None:
        self._app = app
        self._key = access_key_id
        self._token = token
        self._services = services if services is not None else signing_names()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        refusal = self.refusal(environ)
        if refusal is not None:
            code, message = refusal
            return _deny(start_response, code, message)
        return self._app(environ, start_response)

    def refusal(self, environ: dict) -> Optional[Tuple[str, str]]:
        """(error code, message) when the request must not reach moto, else None."""
        path = environ.get("PATH_INFO", "") or ""
        if path.startswith("/moto-api") or path == "/favicon.ico":
            if hmac.compare_digest(str(environ.get(_TOKEN_ENVIRON, "")).encode(), self._token.encode()):
                return None
            return "AccessDenied", "the lab's control endpoints need the lab's token"
        match = _CREDENTIAL.match(environ.get("HTTP_AUTHORIZATION", "") or "")
        if match is None:
            return ("MissingAuthenticationToken", "the lab answers only requests signed (SigV4) with the lab's "
                    "credentials: use the AWS_* exports `edgewiz lab up` printed")
        key, service = match.groups()
        if not (hmac.compare_digest(key.encode(), self._key.encode()) or _known_to_moto(key)):
            return ("InvalidClientTokenId", "the access key id is not this lab's: use the AWS_* exports "
                    "`edgewiz lab up` printed")
        if service not in self._services:
            return ("AccessDenied", f"the lab does not serve '{service}': it serves only "
                    f"{', '.join(LAB_SERVICES)}")
        if service == "lambda" and not LAMBDA_PATHS.match(path):
            return ("AccessDenied", "the lab serves Lambda functions' state only: invoking a function is refused")
        for name, method, pattern in REFUSED_PATHS:
            if service == name and method in (None, environ.get("REQUEST_METHOD")) and re.search(pattern, path):
                return ("AccessDenied", f"the lab serves {name} for its configuration only: it does not run code "
                        "or call integrations")
        return None


def _deny(start_response: Callable, code: str, message: str) -> List[bytes]:
    # The query/rest-xml error shape; the x-amzn-ErrorType header gives JSON-protocol clients the code.
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{escape(message)}</Message></Error>"
            f"<RequestId>edgewiz-lab</RequestId></ErrorResponse>").encode()
    headers: List[Tuple[str, str]] = [("Content-Type", "text/xml"), ("Content-Length", str(len(body))),
                                      ("x-amzn-ErrorType", code)]
    start_response("403 Forbidden", headers)
    return [body]


def wrap(app: Any, access_key_id: str, token: str) -> LabGate:
    """moto's app behind the gate."""
    return LabGate(app, access_key_id, token)
