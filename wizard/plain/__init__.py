"""Provides plain mode: the playbook walked with questionary prompts and printed as plain text,
for terminals that cannot host the full-screen app (and `edgewiz --plain`)."""

from __future__ import annotations

from .run import run_plain

__all__ = ["run_plain"]
