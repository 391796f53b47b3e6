"""Provides ReadCache: one diagnosis's memory of the AWS reads it has sent, so the same read with the
same parameters goes over the wire once (two probes asking for one bucket's HeadObject, the ECS
scan and the ALB inventory both listing clusters), and the count of calls it saved.

It works at botocore's event level, on the guarded clients AwsAccess hands out: `before-call`
answers a repeated read from memory (after the read-only guard has passed it, before the call is
counted or sent), `after-call` remembers an answer. Two threads asking the same read at once: the
second waits for the first's answer instead of sending its own. A cache lives as long as one
diagnosis (AwsAccess.fresh_reads() starts a new one): a re-check after a fix must read afresh.
"""

from __future__ import annotations

import copy
import json
import threading
from typing import Any, Callable, Dict, Hashable, Optional, Tuple

_KEY = "edgewiz_read_key"  # where the request's cache key travels in botocore's request context
_CACHE = "edgewiz_read_cache"  # the cache the request started with (a new one may start meanwhile)
_OWNER = "edgewiz_read_owner"  # set when this request is the one that will answer its key
_WAIT_S = 30.0  # a waiter whose sender never answered (it failed oddly) sends its own request
# Errors that say nothing about the resource, only about the moment: asked again, they may pass.
_TRANSIENT = ("Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
              "SlowDown", "RequestTimeout", "ServiceUnavailable", "InternalError")


def request_key(service: str, region: str, operation: str, params: Any) -> Hashable:
    """The identity of a read: the same service, region, operation and parameters."""
    return (service, region, operation, json.dumps(params, sort_keys=True, default=repr))


class ReadCache:
    """Answers of one diagnosis's reads, by request; thread-safe."""

    def __init__(self) -> None:
        self._answers: Dict[Hashable, Tuple[Any, Dict[str, Any]]] = {}
        self._pending: Dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()
        self.saved = 0  # calls answered from memory instead of sent

    # botocore handlers ------------------------------------------------------------------------

    def keep_key(self, service: str, params=None, model=None, context=None, **_kwargs) -> None:
        """`before-parameter-build`: note the read's key while its parameters are the caller's own."""
        if model is None or context is None or model.has_streaming_output:
            return  # a streamed body (GetObject) is read once by its caller: nothing to keep
        context[_KEY] = request_key(service, str(context.get("client_region", "")), model.name, params or {})
        context[_CACHE] = self

    def answer(self, context=None, **_kwargs) -> Optional[Tuple[Any, Dict[str, Any]]]:
        """`before-call`: the remembered (http, parsed) answer, or None to send the request."""
        key = (context or {}).get(_KEY)
        if key is None:
            return None
        while True:
            with self._lock:
                if key in self._answers:
                    self.saved += 1
                    http, parsed = self._answers[key]
                    return http, copy.deepcopy(parsed)  # callers may change what they get
                event = self._pending.get(key)
                if event is None:
                    self._pending[key] = threading.Event()
                    context[_OWNER] = True
                    return None
            if not event.wait(_WAIT_S):
                return None
            # Answered: the next turn returns it. Released without one: the next turn sends.

    def remember(self, http_response=None, parsed=None, context=None, **_kwargs) -> None:
        """`after-call`: keep the answer (a definite one: success or a lasting error) and wake waiters."""
        if not (context or {}).get(_OWNER):
            return
        key = context[_KEY]
        code = str(((parsed or {}).get("Error") or {}).get("Code", ""))
        status = getattr(http_response, "status_code", 500)
        with self._lock:
            if status < 500 and code not in _TRANSIENT:
                self._answers[key] = (http_response, copy.deepcopy(parsed))
            self._release(key)

    def forget(self, context=None, **_kwargs) -> None:
        """`after-call-error`: the request got no answer (timeout, deadline): wake waiters to try."""
        if (context or {}).get(_OWNER):
            with self._lock:
                self._release(context[_KEY])

    def _release(self, key: Hashable) -> None:
        event = self._pending.pop(key, None)
        if event is not None:
            event.set()


def install(client, service: str, current: Callable[[], ReadCache]) -> None:
    """Register the cache handlers on one botocore client. `current()` is the diagnosis's cache when
    a request starts; the request keeps to that one to the end."""
    events = client.meta.events

    def started_with(context) -> Optional[ReadCache]:
        return (context or {}).get(_CACHE)

    events.register("before-parameter-build", lambda **kw: current().keep_key(service, **kw))
    events.register("before-call", lambda context=None, **kw: (started_with(context) or _NONE).answer(context=context, **kw))
    events.register("after-call", lambda context=None, **kw: (started_with(context) or _NONE).remember(context=context, **kw))
    events.register("after-call-error", lambda context=None, **kw: (started_with(context) or _NONE).forget(context=context, **kw))


_NONE = ReadCache()  # requests without a key (streamed bodies) pass through its handlers untouched
