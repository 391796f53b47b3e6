"""Provides changes_between(): what a re-check changed — findings gone (fixed), newly found, and root
causes still there — by finding id, in the order each diagnosis lists them; and titled(), the same
lists in the words a person reads (each finding's title, filled with its names). Pure."""

from __future__ import annotations

from typing import Dict, List

from ..diagnose import Diagnosis

KINDS = ("fixed", "new", "still")


def changes_between(before: Diagnosis, after: Diagnosis) -> Dict[str, List[str]]:
    """{"fixed": ids gone, "new": ids newly found, "still": root causes found both times}."""
    old = [f.id for f in before.findings]
    new = [f.id for f in after.findings]
    return {"fixed": [i for i in old if i not in new], "new": [i for i in new if i not in old],
            "still": [f.id for f in after.root_causes if f.id in old]}


def titles_of(before: Diagnosis, after: Diagnosis) -> Dict[str, str]:
    """Finding id -> its title, from both walks (a fixed finding is only in the first)."""
    titles = {f.id: f.title for f in before.findings}
    titles.update({f.id: f.title for f in after.findings})
    return titles


def titled(changes: Dict[str, List[str]], titles: Dict[str, str]) -> Dict[str, List[str]]:
    """`changes` with each id replaced by its title (an id no walk titled stays as it is)."""
    return {kind: [titles.get(fid, fid) for fid in changes.get(kind) or []] for kind in KINDS}
