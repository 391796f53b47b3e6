"""Provides run_fresh(): a script run in a new Python process, for the moto patches whose work happens
at import (a module read once per process, a session made while moto's EC2 loads): only a process
where nothing is imported yet shows what they change. Returns the JSON the script printed last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Dict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_fresh(script: str) -> Dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
