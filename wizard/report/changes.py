"""Provides changes_between(): what a re-check changed — findings gone (fixed), newly found, and root
causes still there — by finding id, in the order each diagnosis lists them. Pure."""

from __future__ import annotations

from typing import Dict, List

from ..diagnose import Diagnosis


def changes_between(before: Diagnosis, after: Diagnosis) -> Dict[str, List[str]]:
    """{"fixed": ids gone, "new": ids newly found, "still": root causes found both times}."""
    old = [f.id for f in before.findings]
    new = [f.id for f in after.findings]
    return {"fixed": [i for i in old if i not in new], "new": [i for i in new if i not in old],
            "still": [f.id for f in after.root_causes if f.id in old]}
