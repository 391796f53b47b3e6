"""Provides the safety review after a re-check in a real incident: when a re-check shows findings fixed,
the training's safety rules for those findings (wizard/training/safety.yaml, evaluated by safety.py) are
run over the new state, read read-only, and the verdict screen says whether the change that fixed them
is broader than needed ("fixed, but the bucket policy allows everyone …") or not.

The state before the fix is only what the first walk already read (the security groups' open ingress),
so no extra AWS reads are made up front; "Block Public Access turned off" needs the state before and is
not judged here (a public policy or ACL that follows from it is)."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from ..training.safety import Concern, SafetyState, load_rules, review
from .display import toast


def fix_concerns(fixed: Sequence[str], before, after, access) -> Optional[List[Concern]]:
    """The concerns over `after` (a Diagnosis) for the rules of the `fixed` finding ids; None when no rule
    covers them. `access` (the re-check's AwsAccess) reads the bucket's exposure; without it (no AWS
    access) every rule that needs a read comes back unknown."""
    from ..training.gather import facts_of, gather, open_ingress

    rules = load_rules().for_findings(fixed)
    if not rules:
        return None
    baseline = SafetyState(open_ingress=open_ingress(facts_of(before).data("aws.alb_inventory")))
    if access is None:
        state = SafetyState(origin_kind=facts_of(after).origin_kind)
    else:
        state = gather(after, access)
    return review(rules, state, baseline)


def summary(fixed: Sequence[str], concerns: Optional[List[Concern]]) -> Optional[Tuple[str, str]]:
    """One sentence for the person who made the fix and its toast severity (None when no rule covers
    what was fixed)."""
    if concerns is None:
        return None
    what = ", ".join(fixed)
    broad = [c for c in concerns if not c.unknown]
    unknown = [c for c in concerns if c.unknown]
    if broad:
        return f"Fixed {what}, but the change is broader than needed: " + "; ".join(c.why for c in broad) + ".", \
            "warning"
    if unknown:
        return f"Fixed {what}; whether the change is broader than needed is unknown: " + \
            "; ".join(c.why for c in unknown) + ".", "warning"
    return f"Fixed {what}, and the change is no broader than needed.", "information"


def review_fix_safety(screen, fixed: Sequence[str], before, session, after) -> None:
    """From the verdict screen's re-check: review the fix in a thread, then say it in a toast (and keep
    it as `screen.fix_safety`). Never raises into the screen: its worker errors read as a failed re-check."""
    fixed = list(fixed)
    if not fixed:
        return
    access = getattr(getattr(session, "runner", None), "aws", None)
    redactor = getattr(session, "redactor", None)

    def run() -> None:
        try:
            said = summary(fixed, fix_concerns(fixed, before, after, access))
        except Exception as exc:  # a review that cannot run says so; the re-check's result stands
            said = f"Fixed {', '.join(fixed)}; the safety review could not run: {exc}", "warning"
        if said is None:
            return
        screen.app.call_from_thread(_say, screen, said[0], said[1], redactor)

    screen.run_worker(run, thread=True, group="fix-safety", exit_on_error=False)


def _say(screen, said: str, severity: str, redactor) -> None:
    screen.fix_safety = said
    toast(screen, said, severity=severity, redactor=redactor)
