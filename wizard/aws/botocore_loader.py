"""Provides one botocore data loader per process: service models (EC2's is 1.5 MB of JSON) are parsed
once and shared by every session the process makes (each diagnosis's AwsAccess, the lab's clients,
the scenario loader's operation names), instead of once per session: about 1 s per diagnosis of an
ALB story for its sixteen clients.

The loader only reads botocore's bundled data files and caches what it parsed; sessions that would
search other data paths (AWS_DATA_PATH, a profile's `data_path`) get a loader of their own.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Optional, Tuple

_LOADERS: Dict[Tuple[Optional[str], ...], Any] = {}
_LOCK = threading.RLock()  # share_loader may build a loader through the patched create_loader


def share_loader(session: Any) -> Any:
    """Give a botocore session the process's loader for its data paths (the first session's becomes
    it); returns the session."""
    key = (session.get_config_variable("data_path"),)
    with _LOCK:
        loader = _LOADERS.get(key)
        if loader is None:
            _LOADERS[key] = session.get_component("data_loader")
        else:
            session.register_component("data_loader", loader)
            # boto3.Session adds its own data folder to its loader's paths each time one is made:
            # on a shared loader they would pile up, and each path is one more listdir per lookup.
            paths = loader.search_paths
            paths[:] = list(dict.fromkeys(paths))
    return session


def botocore_session() -> Any:
    """A new botocore session that shares the process's loader."""
    import botocore.session

    return share_loader(botocore.session.get_session())


_MODEL_SESSION: Any = None


def model_session() -> Any:
    """One botocore session per process for reading service models only (operation names, enums):
    a new session registers its ~120 event handlers, 10-15 ms each time. Never make clients from
    it or register handlers on it."""
    global _MODEL_SESSION
    with _LOCK:
        if _MODEL_SESSION is None:
            _MODEL_SESSION = botocore_session()
        return _MODEL_SESSION


def share_in_every_session() -> None:
    """Every botocore session made from now on in this process shares the loader of its data paths,
    including sessions other libraries make themselves (the lab's moto builds a boto3 Session per
    region list and three while importing its EC2 backend: 0.6-1 s of the first lab, parsing
    endpoints.json and EC2's model each time). Idempotent."""
    import botocore.session

    original = botocore.session.create_loader
    if getattr(original, "_edgewiz_shared", False):
        return

    def create_loader(search_path_string=None):
        key = (search_path_string,)
        with _LOCK:
            loader = _LOADERS.get(key)
            if loader is None:
                loader = _LOADERS[key] = original(search_path_string)
            paths = loader.search_paths  # boto3 adds its folder on every Session: keep one of each
            paths[:] = list(dict.fromkeys(paths))
        return loader

    create_loader._edgewiz_shared = True  # type: ignore[attr-defined]
    botocore.session.create_loader = create_loader
