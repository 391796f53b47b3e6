"""Provides FlowError: a playbook that is wrong, said with its file and node."""

from __future__ import annotations

from typing import Optional


class FlowError(ValueError):
    """A flow or catalogue file failed validation; the message names the file and the node."""

    def __init__(self, path: str, message: str, node: Optional[str] = None) -> None:
        where = f"{path}" + (f", node '{node}'" if node else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.node = node
