"""Provides Lab: one scenario brought up — the AWS API server (moto, patched), the scenario's state
built through ordinary boto3 calls, and the edge simulator — and what a client needs to reach it.

What leaves the lab (LabEnv) is only what production would give: an AWS endpoint with credentials,
an HTTP address for the edge, and the symptom. The scenario's `expect` never leaves it.
"""

from __future__ import annotations

import datetime
import shlex
import ssl
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Optional

import httpx

from ..engine.facts import Symptom
from ..untrusted import clean
from .builder import run_steps
from .scenario import Scenario, ScenarioError, resolve


@dataclass(frozen=True)
class LabEnv:
    """How to reach a running lab."""

    aws_endpoint: str
    edge_address: str  # 127.0.0.1:PORT; every host's HTTP goes here (like curl --connect-to)
    region: str
    symptom: Symptom
    credentials: Dict[str, str]

    def shell_exports(self) -> str:
        """Lines to paste into a shell to point the aws CLI and `edgewiz diagnose` at the lab.
        Every value is shell-quoted: a scenario (a shared file) chooses the region."""
        q = lambda value: shlex.quote(clean(value))  # noqa: E731
        return "\n".join([
            f"export AWS_ENDPOINT_URL={q(self.aws_endpoint)}",
            f"export AWS_ACCESS_KEY_ID={q(self.credentials['aws_access_key_id'])}",
            f"export AWS_SECRET_ACCESS_KEY={q(self.credentials['aws_secret_access_key'])}",
            f"export AWS_REGION={q(self.region)} AWS_DEFAULT_REGION={q(self.region)}",
            f"export EDGEWIZ_CONNECT_TO={q(self.edge_address)}",
        ])

    def diagnose_argv(self) -> list:
        """The `edgewiz diagnose` command for the scenario's symptom, as argv (text cleaned)."""
        sym = self.symptom
        argv = ["edgewiz", "diagnose", clean(sym.url)]
        if sym.page_url:
            argv += ["--page", clean(sym.page_url)]
        elif sym.page_origin:
            argv += ["--origin", clean(sym.page_origin)]
        return argv

    def diagnose_command(self) -> str:
        """diagnose_argv() shell-quoted: pasting it runs exactly that command, whatever the
        scenario's URL holds (`'; touch /tmp/x; '` stays part of the URL)."""
        return shlex.join(self.diagnose_argv())


class Lab:
    """Brings a scenario up and down. Use as a context manager."""

    def __init__(self, scenario: Scenario, progress: Optional[Callable[[str], None]] = None,
                 aws_server=None) -> None:
        """`aws_server`: an already running LabAwsServer to build in instead of starting one; it is
        reset first (moto's state is per process, so a new server would not be emptier) and left
        running at stop, so one process can bring many scenarios up and down without paying the
        server's start and its 0.5 s shutdown each time."""
        self.scenario = scenario
        self._given_aws = aws_server
        self._progress = progress or (lambda _m: None)
        self.aws = None
        self.edge = None
        self.variables: Dict[str, Any] = {}
        self._clients: Dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> LabEnv:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _client_for(self, service: str, account: Optional[str], region: Optional[str]):
        # Building a boto3 client costs ~100 ms; the simulator asks for one on every read.
        key = (service, account, region or self.scenario.region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self.aws.client(service, account=account, region=key[2])
            return self._clients[key]

    def start(self) -> LabEnv:
        """Bring everything up; on any failure, take down what was started and re-raise."""
        try:
            return self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> LabEnv:
        from . import moto_patches
        from .aws_server import start_aws_server
        from .edge.server import EdgeServer
        from .edge.tls_origin import LabOrigins
        from .edge.view import LabView

        sc = self.scenario
        self._progress("starting the lab's AWS API server (moto)")
        self.aws = self._given_aws or start_aws_server()
        self.aws.reset()
        self.aws.seed(sc.seed)
        # The certificates' RSA keys are made on the other core while the VPC and groups are built.
        certificates = [s for s in sc.setup + sc.changes if (s.service, s.operation) == ("acm", "request_certificate")]
        moto_patches.prepare_certificate_keys(len(certificates))
        self.variables = {"account": "123456789012", "region": sc.region}
        self._progress(f"building scenario {sc.name} ({len(sc.setup)} calls)")
        run_steps(sc.setup, self._client_for, self.variables, "setup", sc.path)
        view = LabView(self._client_for, sc.region, sorted({s.account for s in sc.setup + sc.changes if s.account}))
        pages = {self._page_key(url): str(resolve(html, self.variables))
                 for url, html in (sc.sim.get("pages") or {}).items()}
        origins = LabOrigins(resolve(sc.sim.get("origins") or {}, self.variables), f"{sc.path}: sim.origins")
        origins.start()
        self.edge = EdgeServer(view, sc.sim, pages, record_sample=moto_patches.record_sampled_request, origins=origins)
        address = self.edge.start()
        self.variables["edge"] = address
        if sc.warm or sc.changes:
            self._warm(address)
            run_steps(sc.changes, self._client_for, self.variables, "changes", sc.path)
        self._inject_health()
        self._inject_waf_traffic()
        self._warm_backends()
        symptom = resolve(sc.symptom, self.variables)
        env = LabEnv(self.aws.endpoint, address, sc.region,
                     Symptom(url=str(symptom["url"]), page_origin=symptom.get("origin") or _origin(symptom.get("page")),
                             page_url=symptom.get("page"), complaint=_opt(symptom.get("complaint")),
                             method=_opt(symptom.get("method"))),
                     self.aws.credentials())  # this lab's own random keys: the server refuses any other
        self._progress(f"lab ready: AWS API {env.aws_endpoint}, edge {address}")
        return env

    def _inject_waf_traffic(self) -> None:
        """Other viewers' requests a web ACL saw before the symptom (sim.waf_traffic): each entry is
        `requests` requests, `minutes_ago`, that `rule` (or Default_Action) decided with `action`,
        recorded as one WAF sample of that Weight, so a busy site costs no HTTP traffic."""
        from . import moto_patches  # imported late, as start() does: moto loads only when a lab starts

        now = datetime.datetime.now(datetime.timezone.utc)
        for entry in self.scenario.sim.get("waf_traffic") or []:
            entry = resolve(entry, self.variables)
            try:
                moto_patches.record_sampled_request(
                    str(entry["web_acl"]), str(entry.get("rule") or "Default_Action"), dict(entry["request"]),
                    str(entry.get("action") or "BLOCK"),
                    now - datetime.timedelta(minutes=float(entry.get("minutes_ago") or 0)),
                    weight=int(entry.get("requests") or 1))
            except (KeyError, TypeError, ValueError) as exc:
                raise ScenarioError(f"{self.scenario.path}: sim.waf_traffic entry is not usable: {exc}") from None

    def _page_key(self, url: str) -> str:
        url = str(resolve(url, self.variables))
        if "://" in url:
            url = url.split("://", 1)[1]
        return url if "/" in url else url + "/"

    def _warm(self, address: str) -> None:
        # One client for every warm request, plain HTTP to the simulator on 127.0.0.1: httpx's default
        # client loads certifi's CA bundle into a new TLS context each time (25-45 ms of CPU) and
        # would route through an HTTP(S)_PROXY from the environment. The context has no roots:
        # nothing here speaks TLS.
        with httpx.Client(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), trust_env=False, timeout=10) as client:
            for request in self.scenario.warm:
                url = str(resolve(request["url"], self.variables))
                headers = {k: str(resolve(v, self.variables)) for k, v in (request.get("headers") or {}).items()}
                host = url.split("://", 1)[-1].split("/", 1)[0]
                path = "/" + url.split("://", 1)[-1].split("/", 1)[1] if "/" in url.split("://", 1)[-1] else "/"
                try:
                    client.request(request.get("method", "GET"), f"http://{address}{path}",
                                   headers=dict(headers, Host=host))
                except httpx.HTTPError as exc:
                    raise ScenarioError(f"{self.scenario.path}: warm request to {url} failed: {exc}") from None

    def _uses_network(self) -> bool:
        """Whether the scenario's calls make EC2, ELB or ECS resources (VPCs, load balancers, tasks)."""
        return any(step.service in _NETWORK_SERVICES for step in self.scenario.setup + self.scenario.changes)

    def _warm_backends(self) -> None:
        """Build each AWS service's moto backend once: moto builds one on its first call (EC2 and
        ECS take ~1.5 s with their imports), and that cost belongs to the lab's start, not to the
        diagnosis it is timing. Built in-process, where the server keeps them (the lab's moto server
        is a thread of this process): a boto3 client and a read per service cost ~1 s more.
        EC2, ELB and ECS only where the scenario made resources there: importing moto's EC2 is most
        of a first lab's start, and a diagnosis reads them only to follow an origin into a VPC."""
        from moto.backends import get_backend

        account, region = str(self.variables.get("account") or "123456789012"), self.scenario.region
        network = self._uses_network()
        for service in _WARM_SERVICES:
            if service in _NETWORK_SERVICES and not network:
                continue
            try:
                backends = get_backend(service)[account]  # type: ignore[arg-type]
                for where in (region, "aws"):  # regional, or global (by partition)
                    if where in backends.regions:
                        backends[where]
            except Exception:  # a warm-up only saves time later: a backend that will not build is built on use
                pass

    def _inject_health(self) -> None:
        # Without load balancers there is no target to health-check; asking moto would build its
        # ELB, ECS and EC2 backends (~0.5 s of a first lab) to learn that. A load balancer made
        # later (`edgewiz lab up`, then the aws CLI) is checked by the simulator as it forwards.
        if not self._uses_network():
            return
        try:
            from .edge.health import inject_target_health
        except ImportError:
            return
        inject_target_health(self._client_for, self.scenario.region)

    def stop(self) -> None:
        if self.edge is not None:
            self.edge.stop()
            self.edge = None
        if self.aws is not None:
            if self.aws is not self._given_aws:
                self.aws.stop()
            self.aws = None
        self._clients.clear()


# Every service the diagnosis reads (the lab's own reads of target health and WAF samples too).
_WARM_SERVICES = ("s3", "cloudfront", "sts", "kms", "ecs", "route53", "organizations", "ec2", "elbv2", "wafv2",
                  "s3control", "cloudwatch")
# The services whose moto backends import moto's EC2 (instance types, regions and zones: the bulk of
# a first lab's start): built only for scenarios that call them.
_NETWORK_SERVICES = frozenset({"ec2", "elbv2", "ecs"})


def _origin(page: Optional[str]) -> Optional[str]:
    if not page:
        return None
    scheme, rest = str(page).split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _opt(value: Any) -> Optional[str]:
    return None if value is None else str(value)
