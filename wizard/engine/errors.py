"""Provides FlowError: a playbook that is wrong, said with its file and node; and PlaybookMissing,
a playbook that is not there at all (an incomplete install, or a wrong EDGEWIZ_FLOWS)."""

from __future__ import annotations

from typing import Optional


class FlowError(ValueError):
    """A flow or catalogue file failed validation; the message names the file and the node."""

    def __init__(self, path: str, message: str, node: Optional[str] = None) -> None:
        where = f"{path}" + (f", node '{node}'" if node else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.node = node


class UndeclaredFinding(RuntimeError):
    """A check raised a finding id it does not declare: a bug in the check, refused on the spot so
    that the hit never reaches a report, a path picture or a journal unchecked."""

    def __init__(self, check: str, finding_id: str, declared) -> None:
        allowed = ", ".join(declared) or "nothing"
        super().__init__(f"check '{check}' raised '{finding_id}', which it does not declare (it declares: {allowed})")
        self.check = check
        self.finding_id = finding_id


class PlaybookMissing(FlowError):
    """A playbook file or folder does not exist: the install is incomplete, not the playbook wrong."""
