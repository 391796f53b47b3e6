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


class PlaybookMissing(FlowError):
    """A playbook file or folder does not exist: the install is incomplete, not the playbook wrong."""
