"""Provides the running exercise's state file: lab endpoints, the lab's credentials, the exercise, the
start time, hints used and the lab as it started (for the safety review), kept under the user's state
dir (like journals) with mode 0600 — it holds the lab's keys."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Optional

from ..journal import state_dir


class NoExercise(ValueError):
    """No exercise is running (or its state file is unusable)."""


def state_path() -> Path:
    return state_dir() / "training" / "current.json"


def write(state: Dict[str, Any], path: Optional[Path] = None) -> Path:
    """Write atomically, 0600 from the first byte (the file holds the lab's credentials)."""
    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out, indent=1, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def read(path: Optional[Path] = None) -> Dict[str, Any]:
    path = path or state_path()
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise NoExercise("no exercise is running: start one with `edgewiz train start NAME`") from None
    except (OSError, ValueError) as exc:
        raise NoExercise(f"the exercise state file {path} is unusable ({exc}); "
                         f"`edgewiz train stop` removes it") from None
    if not isinstance(data, dict) or not {"exercise", "aws_endpoint", "edge_address", "credentials"} <= set(data):
        raise NoExercise(f"the exercise state file {path} is incomplete; `edgewiz train stop` removes it")
    return data


def remove(path: Optional[Path] = None, pid: Optional[int] = None) -> None:
    """Remove the state file (only if it is still `pid`'s, when given: a newer exercise keeps its own)."""
    path = path or state_path()
    if pid is not None:
        try:
            if read(path).get("pid") != pid:
                return
        except NoExercise:
            pass
    try:
        path.unlink()
    except FileNotFoundError:
        pass
