"""Provides the lab's fix to moto's request dispatch: the list of moto's service modules is read from
disk once, not on every request.

moto 5.2.5's server looks up the backend of each request (DomainDispatcherApplication
.get_backend_for_host) by testing the host against `backends.list_of_moto_modules()`, which lists
moto's package folder and stats each of its ~180 entries, under the server's one dispatch lock: every
AWS request of the lab paid a directory scan, one request at a time. The folder does not change
while the process runs, so its list is kept.
"""

from __future__ import annotations

from typing import Tuple


def apply() -> None:
    from moto import backends

    original = backends.list_of_moto_modules
    if getattr(original, "_edgewiz_kept", False):
        return
    kept: Tuple[str, ...] = ()

    def list_of_moto_modules() -> Tuple[str, ...]:
        nonlocal kept
        if not kept:
            kept = tuple(original())
        return kept

    list_of_moto_modules._edgewiz_kept = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = list_of_moto_modules
