"""Provides the lab's fix to moto's service-model loading: one model loader per process, not one per
model.

moto 5.2.5 (moto.core.utils._load_service_model) makes a new botocore Loader for every service
model and paginator model it parses. A new loader knows nothing yet, so each one lists botocore's
data folder (400-odd services, a stat per entry) to find the model's API version: 30-40 ms per
model, paid on the first request of each service the lab serves, ~0.2-0.35 s of a first lab.
moto caches each parsed model for the process (get_service_model is functools.cache'd), so one
loader answering every load returns the same models, merged once with moto's extras.
"""

from __future__ import annotations

import threading
from typing import Any

_LOCK = threading.Lock()


def apply() -> None:
    from moto.core import utils

    original = utils.create_loader
    if getattr(original, "_edgewiz_one", False):
        return
    one: Any = None

    def create_loader() -> Any:
        nonlocal one
        with _LOCK:
            if one is None:
                one = original()
            return one

    create_loader._edgewiz_one = True  # type: ignore[attr-defined]
    utils.create_loader = create_loader
