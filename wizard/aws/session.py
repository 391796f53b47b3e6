"""Provides AwsAccess: boto3 clients built from the normal credential chain, guarded and counted.

Against real AWS this is boto3's default chain (env, profile, SSO, instance role). Against the
lab it is the same code with `endpoint_url` pointing at the lab's AWS API server.
"""

from __future__ import annotations

import threading
from typing import Callable, Dict, List, Optional, Tuple

import boto3
from botocore.config import Config

from ..deadline import Deadline, DeadlineExceeded
from .botocore_loader import share_loader
from .guard import install_guard
from . import read_cache
from .read_cache import ReadCache

# Bounded retries: adaptive mode backs off on throttling, and the timeouts keep a hung endpoint
# from freezing a walk (a probe gives up and says so instead).
_CONFIG = Config(
    retries={"max_attempts": 4, "mode": "adaptive"},
    connect_timeout=5,
    read_timeout=15,
    user_agent_extra="edgewiz",
)

# Services whose control plane lives in us-east-1 whatever the caller's region.
GLOBAL_REGION = {"cloudfront": "us-east-1", "route53": "us-east-1", "organizations": "us-east-1"}


def pin_to_endpoint(client, endpoint: str) -> None:
    """Keep a client on a custom endpoint's host.

    botocore's endpoint rules for s3control put the account id in front of the host even with
    `endpoint_url` set (inject_host_prefix does not cover it), which a single local endpoint (the
    lab, or any emulator) cannot answer on.
    """
    from urllib.parse import urlsplit, urlunsplit

    pinned = urlsplit(endpoint).netloc

    def _strip_prefix(request=None, **_kwargs):
        parts = urlsplit(request.url)
        if parts.netloc != pinned and parts.netloc.endswith("." + pinned):
            request.url = urlunsplit(parts._replace(netloc=pinned))
            if "host" in request.headers:
                request.headers["host"] = pinned

    client.meta.events.register("before-send", _strip_prefix)


class AwsAccess:
    """Hands out guarded, counted boto3 clients; records every operation it sends."""

    def __init__(
        self,
        profile: Optional[str] = None,
        region: Optional[str] = None,
        endpoint_url: Optional[str] = None,
        credentials: Optional[Dict[str, str]] = None,
    ) -> None:
        kwargs = dict(credentials or {})
        if profile:
            kwargs["profile_name"] = profile
        if region:
            kwargs["region_name"] = region
        self._session = boto3.session.Session(**kwargs)
        share_loader(self._session._session)  # models parsed once per process, not per diagnosis
        self.region = self._session.region_name or region or "us-east-1"
        self.endpoint_url = endpoint_url
        self._clients: Dict[Tuple[str, str], object] = {}
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self.calls: List[Tuple[str, str]] = []
        self._listeners: List[Callable[[str, str], None]] = []
        self.deadline: Optional[Deadline] = None
        self.reads = ReadCache()  # this diagnosis's reads; fresh_reads() starts the next one's

    def fresh_reads(self) -> None:
        """Forget every read: the next diagnosis (a re-check after a fix) must see AWS as it is now."""
        self.reads = ReadCache()

    @property
    def calls_saved(self) -> int:
        """Reads this diagnosis answered from memory instead of sending them again."""
        return self.reads.saved

    def set_deadline(self, deadline: Optional[Deadline]) -> None:
        """Bound every later call by `deadline`: timeouts and tries shrink with the time left, and no
        call is sent or retried after it (DeadlineExceeded, which the probe reports as out of time)."""
        self.deadline = deadline

    def add_listener(self, listener: "Callable[[str, str], None]") -> None:
        """Call `listener(service, operation)` for every read asked, whether sent or answered from
        this diagnosis's read cache (per-probe call counting: two probes running at once that share
        a read are both credited with it, whichever of them happened to send it)."""
        self._listeners.append(listener)

    def client(self, service: str, region: Optional[str] = None, opt_in: str = ""):
        """A guarded client for `service` (regional services use the session's region). `opt_in`
        (a guard.OPT_INS name) builds a separate client that may also send that opt-in's operations."""
        region = region or GLOBAL_REGION.get(service) or self.region
        budget = self.deadline.budget() if self.deadline is not None else None
        key = (service, region, budget, opt_in)
        # Building a client takes a while: under its own lock, so counting calls (self._lock) on
        # clients already built never waits for it. boto3 sessions are not thread-safe: one at a time.
        with self._build_lock:
            if key not in self._clients:
                config = _CONFIG
                if budget is not None:
                    # Clients are cached per budget step, so a call made with little time left gets
                    # short timeouts and few tries (botocore fixes both when the client is built).
                    config = config.merge(Config(connect_timeout=budget.connect_timeout,
                                                 read_timeout=budget.read_timeout,
                                                 retries={"total_max_attempts": budget.attempts, "mode": "adaptive"}))
                if self.endpoint_url:
                    # s3control puts the account id in front of the host; a single local endpoint
                    # (the lab) cannot answer on such names.
                    config = config.merge(Config(inject_host_prefix=False, s3={"addressing_style": "path"}))
                client = self._session.client(
                    service, region_name=region, endpoint_url=self.endpoint_url, config=config
                )
                install_guard(client, opt_in=opt_in)
                if self.endpoint_url:
                    pin_to_endpoint(client, self.endpoint_url)
                client.meta.events.register("before-call", self._asked)  # before the cache may answer
                if not opt_in:  # an opt-in's calls are not repeatable reads: polling must reach AWS
                    self._install_read_cache(client, service)
                client.meta.events.register("before-call", self._count)
                # before-send fires for every try, retries included: none starts after the deadline.
                client.meta.events.register("before-send", self._check_deadline)
                self._clients[key] = client
            return self._clients[key]

    def _install_read_cache(self, client, service: str) -> None:
        """A repeated read is answered from this diagnosis's ReadCache: after the guard (registered
        first), before the call is counted or sent. The handlers look up `self.reads` at call time,
        so fresh_reads() takes effect on clients already built."""
        read_cache.install(client, service, lambda: self.reads)

    def _check_deadline(self, **_kwargs) -> None:
        if self.deadline is not None and self.deadline.expired:
            raise DeadlineExceeded(self.deadline.seconds)

    def _asked(self, model=None, **_kwargs) -> None:
        if model is not None:
            for listener in self._listeners:
                listener(model.service_model.service_name, model.name)

    def _count(self, model=None, **_kwargs) -> None:
        if model is not None:
            with self._lock:
                self.calls.append((model.service_model.service_name, model.name))

    @property
    def call_count(self) -> int:
        return len(self.calls)
