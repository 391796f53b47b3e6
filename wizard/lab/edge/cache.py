"""Provides the simulator's edge cache: errors are kept for the error caching minimum TTL (10 s by
default, or the distribution's CustomErrorResponses), successes for the cache policy's default TTL."""

from __future__ import annotations

import threading
import time
from typing import Dict, Optional, Tuple

Entry = Tuple[float, float, int, list, bytes]  # stored_at, expires_at, status, headers, body


class EdgeCache:
    """A thread-safe cache keyed by (distribution, cache key)."""

    def __init__(self) -> None:
        self._items: Dict[Tuple[str, str], Entry] = {}
        self._lock = threading.Lock()

    def get(self, dist_id: str, key: str) -> Optional[Tuple[int, list, bytes, int]]:
        with self._lock:
            entry = self._items.get((dist_id, key))
            if entry is None or entry[1] < time.monotonic():
                return None
            stored, _, status, headers, body = entry
            return status, headers, body, int(time.monotonic() - stored)

    def put(self, dist_id: str, key: str, ttl: float, status: int, headers: list, body: bytes) -> None:
        if ttl <= 0:
            return
        now = time.monotonic()
        with self._lock:
            self._items[(dist_id, key)] = (now, now + ttl, status, headers, body)

    def invalidate(self, dist_id: str) -> None:
        with self._lock:
            for k in [k for k in self._items if k[0] == dist_id]:
                del self._items[k]
