"""Provides the register of running labs: `lab up` and `train start` note how to reach their lab
(0600, under the user's state dir) while it runs, so `edgewiz resume` reconnects to that lab, with
the trainee's fixes, instead of building a fresh one."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import stat
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

from ..engine.facts import Symptom
from ..journal import state_dir


def labs_dir() -> Path:
    return state_dir() / "labs"


def _file_name(ref: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in ref)[:100]
    return f"lab-{safe}-{os.getpid()}.json"


def register(refs, env) -> Path:
    """Note the running lab (its endpoints, keys and symptom) under every name in `refs` (the
    scenario's name, and the argument it was loaded from); unregister() when it stops."""
    refs = sorted({str(r) for r in refs if r})
    data = {"refs": refs, "pid": os.getpid(), "aws_endpoint": env.aws_endpoint, "edge_address": env.edge_address,
            "region": env.region, "credentials": dict(env.credentials), "symptom": dataclasses.asdict(env.symptom)}
    directory = labs_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / _file_name(refs[0] if refs else "lab")
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
    os.replace(tmp, path)
    return path


def unregister(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def process_alive(pid: Any, *, others_count: bool = False) -> bool:
    """Whether `pid` names a live process. A process of another user exists but is never our lab:
    it counts only with `others_count` (e.g. to refuse starting a second exercise over it)."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return others_count
    return True


def _own_private(path: Path) -> bool:
    """The user's own 0600 regular file: in a shared state dir anything else may have been planted."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) == 0o600


def _loopback_host(host: Optional[str]) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env_of(data: Dict[str, Any]):
    """A LabEnv from a register entry, or None when it is not a loopback lab's (a lab is local: an
    entry that points elsewhere is not ours to follow)."""
    from .lab import LabEnv

    try:
        endpoint = urlsplit(str(data["aws_endpoint"]))
        edge_host, _, edge_port = str(data["edge_address"]).rpartition(":")
        if not (_loopback_host(endpoint.hostname) and _loopback_host(edge_host) and edge_port.isdigit()):
            return None
        names = {f.name for f in dataclasses.fields(Symptom)}
        symptom = Symptom(**{k: v for k, v in dict(data["symptom"]).items() if k in names})
        creds = {str(k): str(v) for k, v in dict(data["credentials"]).items()}
        return LabEnv(aws_endpoint=str(data["aws_endpoint"]), edge_address=str(data["edge_address"]),
                      region=str(data["region"]), symptom=symptom, credentials=creds)
    except (KeyError, TypeError, ValueError):
        return None


def find(ref: str):
    """(LabEnv, pid) of a running lab registered under `ref`, the newest; None when none runs.
    Entries of labs that died without unregistering are removed."""
    directory = labs_dir()
    if not ref or not directory.is_dir():
        return None
    found = []
    for path in directory.glob("lab-*.json"):
        if not _own_private(path):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        if not process_alive(data.get("pid")):
            unregister(path)
            continue
        if ref in (data.get("refs") or []):
            env = _env_of(data)
            if env is not None:
                found.append((path.stat().st_mtime, env, data["pid"]))
    if not found:
        return None
    _, env, pid = max(found, key=lambda item: item[0])
    return env, pid
