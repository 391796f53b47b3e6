"""Provides the read-only guard: every AWS operation is checked before it is signed and sent.

The guard works at the botocore event level (`before-call`, which fires before the request is
built, signed or sent), so no code path, including one a future probe adds, can send a mutating
call by accident: it is refused before it leaves the process. The lab's own scenario builder uses
separate, unguarded clients.
"""

from __future__ import annotations

from typing import FrozenSet, Iterable

# Operation-name prefixes that only read. Everything else is refused unless explicitly allowed.
READ_PREFIXES = ("Get", "List", "Describe", "Head", "Lookup", "Search", "Select", "Check")

# Reads whose names do not start with a read verb.
EXTRA_READS: FrozenSet[str] = frozenset({"FilterLogEvents", "TestDnsAnswer"})


class WriteRefused(RuntimeError):
    """Raised when code tries to send an AWS operation that is not a read."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            f"edgewiz refused to send {service}:{operation}: it is not a read-only operation. "
            "edgewiz never changes your AWS resources; the fix is shown for you to apply."
        )
        self.service = service
        self.operation = operation


def is_read_operation(operation: str, allowed: Iterable[str] = ()) -> bool:
    """True when the operation only reads (by AWS's naming convention, plus a short list)."""
    if operation in allowed or operation in EXTRA_READS:
        return True
    return operation.startswith(READ_PREFIXES)


def install_guard(client, allowed: Iterable[str] = ()) -> None:
    """Register the before-call check on one botocore client (first, so nothing runs before it)."""
    allowed = frozenset(allowed)
    service = client.meta.service_model.service_name

    def _check(model=None, **_kwargs):
        # before-call fires for every operation, signed or not, before the request is built.
        if model is not None and not is_read_operation(model.name, allowed):
            raise WriteRefused(service, model.name)

    client.meta.events.register_first(f"before-call.{client.meta.service_model.service_id.hyphenize()}", _check)
