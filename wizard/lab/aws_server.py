"""Provides the lab's AWS API server: moto in server mode, in-process, patched, on 127.0.0.1.

The wizard talks to it exactly as to AWS (boto3 over HTTP, `endpoint_url` = `endpoint`), so
every probe, guard and error path runs for real. Scenario builders use `client()`, which is
unguarded and can act as any account.

Each server has its own random credentials and control token (see auth.LabGate): only requests
signed with its key id reach moto, and its /moto-api/ endpoints need the token.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

from ..aws.session import pin_to_endpoint
from .auth import TOKEN_HEADER
from .identity import DEFAULT_ACCOUNT_ID

# What in-process boto3 defaults to when nothing else is set (never accepted by the lab's server:
# each server makes its own credentials, see new_credentials()).
LAB_ACCESS_KEY = "testing"
LAB_SECRET_KEY = "testing"
ACCOUNT_HEADER = "x-moto-account-id"
# The lab is on 127.0.0.1: never route its control calls through an HTTP(S)_PROXY from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _prepare_environment() -> None:
    # flask-cors would add Access-Control-Allow-Origin to every response and echo any Origin,
    # hiding every CORS finding (MOTO-AUDIT "CORS"). It is read when moto.settings is imported.
    os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"
    # MOTO_ACCOUNT_ID overrides every request's account for the whole process (MOTO-AUDIT
    # "Multiple accounts"), which would make the second account of seed 004 impossible.
    os.environ.pop("MOTO_ACCOUNT_ID", None)
    # Every EC2 backend (one per account and region, again after each reset) would load ~1,300
    # default AMIs with a volume each, ~0.5 s; no scenario launches an instance from one.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    for name, value in (("AWS_ACCESS_KEY_ID", LAB_ACCESS_KEY), ("AWS_SECRET_ACCESS_KEY", LAB_SECRET_KEY),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        os.environ.setdefault(name, value)


_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # what AWS key ids are made of


def new_credentials() -> Tuple[str, str, str]:
    """(access key id, secret access key, control token), random for one lab."""
    key_id = "AKIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))
    return key_id, secrets.token_urlsafe(30), secrets.token_urlsafe(24)


class LabAwsServer:
    """A running, patched moto server and the means to build scenarios in it."""

    default_account = DEFAULT_ACCOUNT_ID

    def __init__(self, server: Any, host: str, port: int, access_key: str = LAB_ACCESS_KEY,
                 secret_key: str = LAB_SECRET_KEY, token: str = "") -> None:
        self._server = server
        self.host = host
        self.port = port
        self.endpoint = f"http://{host}:{port}"
        self.access_key = access_key
        self._secret_key = secret_key
        self.token = token
        self._stopped = False
        self._lock = threading.Lock()
        self._session = None
        self._clients: Dict[Tuple[str, Optional[str], str], Any] = {}

    def control_headers(self) -> Dict[str, str]:
        """The header the gate wants on /moto-api/ requests."""
        return {TOKEN_HEADER: self.token}

    def _post(self, path: str, body: bytes = b"", headers: Optional[Dict[str, str]] = None) -> bytes:
        request = urllib.request.Request(self.endpoint + path, data=body, method="POST",
                                         headers=dict(self.control_headers(), **(headers or {})))
        with _DIRECT.open(request, timeout=30) as response:
            return response.read()

    def reset(self) -> None:
        """Empty every account and region, and the lab's injected state (target health, WAF samples)."""
        from . import moto_patches

        self._post("/moto-api/reset")
        moto_patches.clear_stores()

    def seed(self, value: int) -> None:
        """Seed moto's id generator: after reset + seed + the same build, ids come out identical."""
        self._post(f"/moto-api/seed?a={int(value)}")

    def queue_athena_results(self, results: List[List[List[Optional[str]]]], region: str = "us-east-1") -> None:
        """Queue canned Athena results (rows of cells, header row first), one per StartQueryExecution
        to come: moto runs no SQL, so its answer is what the lab says Athena would have counted."""
        import json

        body = {"account_id": self.default_account, "region": region,
                "results": [{"rows": [{"Data": [{} if c is None else {"VarCharValue": c} for c in row]}
                                      for row in rows]} for rows in results]}
        self._post("/moto-api/static/athena/query-results", json.dumps(body).encode(),
                   {"Content-Type": "application/json"})

    def stop(self) -> None:
        """Shut the server down (idempotent)."""
        if not self._stopped:
            self._stopped = True
            self._server.stop()

    def client(self, service: str, account: Optional[str] = None, region: str = "us-east-1"):
        """An UNGUARDED boto3 client for building scenarios, acting as `account` (default account if None).

        The account travels in moto's `x-moto-account-id` header, added before signing, so one
        process can act as several accounts at once (seed 004: another account uploads). Clients
        are cached per (service, account, region) because building one costs 50-200 ms; do not
        register event handlers on them.
        """
        import boto3
        from botocore.config import Config

        account = None if account in (None, self.default_account) else str(account)
        key = (service, account, region)
        with self._lock:
            if key in self._clients:
                return self._clients[key]
            if self._session is None:
                self._session = boto3.session.Session(aws_access_key_id=self.access_key,
                                                      aws_secret_access_key=self._secret_key, region_name=region,
                                                      botocore_session=_botocore_session())
            config = Config(
                retries={"max_attempts": 2, "mode": "standard"},
                inject_host_prefix=False,
                s3={"addressing_style": "path"},
            )
            client = self._session.client(service, region_name=region, endpoint_url=self.endpoint, config=config)
            keep_host_on_lab(client, self.endpoint)
            if account is not None:
                def _act_as(request=None, _account=account, **_kwargs):
                    request.headers[ACCOUNT_HEADER] = _account

                client.meta.events.register("before-sign", _act_as)
            self._clients[key] = client
            return client

    def credentials(self, account: Optional[str] = None) -> Dict[str, str]:
        """boto3 session credentials that act as `account` (for `AwsAccess(credentials=...)`).

        For another account they come from sts.assume_role on a role ARN in that account: moto
        maps the returned key to the account, and the role need not exist (MOTO-AUDIT).
        """
        if account is None or account == self.default_account:
            return {"aws_access_key_id": self.access_key, "aws_secret_access_key": self._secret_key}
        creds = self.client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/edgewiz-lab",
                                               RoleSessionName="edgewiz-lab")["Credentials"]
        return {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"]}

    def __enter__(self) -> "LabAwsServer":
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()


keep_host_on_lab = pin_to_endpoint  # the lab's clients and the wizard's AwsAccess share one hook


def _botocore_session():
    """A botocore session whose service models come from one loader per process: every lab (the
    bench and the suite start many) would otherwise parse EC2's 1.5 MB model again, ~0.2-0.4 s."""
    from ..aws.botocore_loader import botocore_session

    return botocore_session()


def _wait_until_answering(endpoint: str, token: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(endpoint + "/moto-api/config", headers={TOKEN_HEADER: token})
    while True:
        try:
            with _DIRECT.open(request, timeout=2):
                return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # any HTTP answer from moto means it is serving
                return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the lab AWS server at {endpoint} did not answer within {timeout:.0f} s")
        time.sleep(0.02)


def start_aws_server(port: int = 0) -> LabAwsServer:
    """Start a patched moto server on 127.0.0.1 (port 0: a free port) and wait until it answers.

    Process-wide effects, all needed by the lab: MOTO_DISABLE_GLOBAL_CORS=true, MOTO_ACCOUNT_ID
    removed, dummy AWS_* credentials and region set where none are, moto_patches applied,
    werkzeug's per-request log lines silenced, and every botocore session sharing parsed models.
    """
    _prepare_environment()
    from ..aws.botocore_loader import share_in_every_session

    share_in_every_session()  # before moto's imports: its EC2 backend makes sessions as it loads
    from moto.moto_server import werkzeug_app

    from . import moto_patches

    # If moto was imported before the environment was set, its module-level flag is stale.
    werkzeug_app.DISABLE_GLOBAL_CORS = True
    # werkzeug's dev server logs one line per request; the lab sends thousands.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_patches.apply()
    access_key, secret_key, token = new_credentials()
    server = _gated_server_class()(access_key, token, ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound_port = server.get_host_and_port()
    lab = LabAwsServer(server, host, bound_port, access_key, secret_key, token)
    _wait_until_answering(lab.endpoint, token)
    return lab


def _gated_server_class():
    """ThreadedMotoServer whose WSGI app sits behind LabGate (moto builds its app inside the
    server thread, with no hook, so _server_entry is redone here with the app wrapped)."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from .auth import wrap

    class GatedMotoServer(ThreadedMotoServer):
        def __init__(self, access_key: str, token: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._gate = (access_key, token)

        def _server_entry(self) -> None:
            app = wrap(DomainDispatcherApplication(create_backend_app), *self._gate)
            self._server = make_server(self._ip_address, self._port, app, True,
                                       request_handler=MotoRequestHandler)
            self._server_ready_event.set()
            # stop() waits for serve_forever's next poll: 50 ms instead of the default 0.5 s, paid by
            # every exit from `edgewiz --lab` and `lab run` (and each test process's lab).
            self._server.serve_forever(poll_interval=0.05)

    return GatedMotoServer

