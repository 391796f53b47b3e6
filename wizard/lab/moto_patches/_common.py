"""Provides the small tools every moto patch uses: wrapping a method once, adding URL routes,
and AWS-looking ids drawn from moto's seeded random generator."""

from __future__ import annotations

import importlib.abc
import string
import sys
import threading
from typing import Any, Callable, Dict, List

# Names the patches already applied to a function, so applying twice never wraps a wrapper
# (two different patches may still wrap the same method, one around the other).
_MARK = "__edgewiz_lab_patches__"


def wrap(owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace `owner.name` with `make(original)`, once per `make` (a second call is a no-op)."""
    original = getattr(owner, name)
    applied = getattr(original, _MARK, frozenset())
    tag = f"{make.__module__}.{make.__qualname__}"
    if tag in applied:
        return
    replacement = make(original)
    setattr(replacement, _MARK, applied | {tag})
    setattr(owner, name, replacement)


def install(owner: Any, name: str, function: Callable[..., Any]) -> None:
    """Add a method moto lacks (or replace one outright), once."""
    existing = getattr(owner, name, None)
    if existing is not None and getattr(existing, _MARK, None):
        return
    setattr(function, _MARK, frozenset({f"{function.__module__}.{function.__qualname__}"}))
    setattr(owner, name, function)


def add_routes(urls_module: Any, dispatch: Callable[..., Any], patterns: Dict[str, None]) -> None:
    """Route extra URL patterns of a service to its response class.

    moto builds each service's Flask app from `urls.url_paths` when the first request for that
    service arrives, so this must run before the server handles one (apply() runs first).
    """
    for pattern in patterns:
        urls_module.url_paths.setdefault(pattern, dispatch)


_PENDING: Dict[str, List[Callable[[Any], None]]] = {}
_PENDING_LOCK = threading.Lock()


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs callbacks right after a module finishes executing (once), before anyone uses it."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in _PENDING:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                loader = spec.loader
                original_exec = loader.exec_module

                def exec_module(module, _original=original_exec, _name=fullname):
                    _original(module)
                    with _PENDING_LOCK:
                        callbacks = _PENDING.pop(_name, [])
                    for callback in callbacks:
                        callback(module)

                loader.exec_module = exec_module
                return spec
        return None


_FINDER = _AfterImport()


def after_import(module_name: str, callback: Callable[[Any], None]) -> None:
    """Call `callback(module)` now if the module is loaded, else as soon as it is imported.

    Importing moto.elbv2 pulls in all of moto.ec2 (about 1.5 s); deferring the ELB patches
    until moto loads ELB itself keeps the lab's start fast for stories that never touch it.
    """
    with _PENDING_LOCK:
        module = sys.modules.get(module_name)
        if module is None:
            _PENDING.setdefault(module_name, []).append(callback)
            if _FINDER not in sys.meta_path:
                sys.meta_path.insert(0, _FINDER)
            return
    callback(module)


def _random():
    # moto's generator, so `/moto-api/seed?a=N` makes every id repeatable.
    from moto.moto_api._internal import mock_random

    return mock_random


def cloudfront_id() -> str:
    """A CloudFront-style id: "E" and 13 upper-case letters or digits (distribution, OAI, ETag)."""
    alphabet = string.ascii_uppercase + string.digits
    rnd = _random()
    return "E" + "".join(rnd.choice(alphabet) for _ in range(13))


def cloudfront_domain() -> str:
    """A distribution domain name: "d", 13 lower-case letters or digits, ".cloudfront.net"."""
    alphabet = string.ascii_lowercase + string.digits
    rnd = _random()
    return "d" + "".join(rnd.choice(alphabet) for _ in range(13)) + ".cloudfront.net"


def uuid() -> str:
    """A UUID string from moto's seeded generator (custom CloudFront policy ids)."""
    return str(_random().uuid4())
