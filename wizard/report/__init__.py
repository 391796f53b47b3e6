"""Provides the reports: plain text for a terminal, JSON for scripts, Markdown for incident records.

Everything that came from HTTP, AWS or logs is cleaned of control sequences, and secrets are
redacted, before it is written anywhere.
"""

from __future__ import annotations

from typing import Any, Optional

NO_ROOT_CAUSE = "No root cause found: every hop that could be checked lets the request through."


def no_root_cause_sentence(diagnosis: Any) -> Optional[str]:
    """What to say when a walk reached its verdict with no root cause (None when it has one or stopped).

    With unknowns it is not a clean bill of health: the cause may sit exactly where edgewiz could
    not look (a denied read), so every front end says "inconclusive" instead of "no root cause".
    """
    if diagnosis.root_causes or diagnosis.end.result != "verdict":
        return None
    n = len(diagnosis.unknowns)
    if not n:
        return NO_ROOT_CAUSE
    return (f"Inconclusive: no root cause among the parts that could be checked, but {n} "
            f"part{'s' if n > 1 else ''} could not be checked (listed under \"Could not check\") "
            "and the cause may be there.")


def outcome(diagnosis: Any) -> str:
    """One word for how a walk ended, the same in journals and lists: "root-cause", "no-root-cause"
    (every part checked, nothing wrong) or "inconclusive" (stopped short, or parts unknown)."""
    if diagnosis.root_causes:
        return "root-cause"
    return "no-root-cause" if no_root_cause_sentence(diagnosis) == NO_ROOT_CAUSE else "inconclusive"
