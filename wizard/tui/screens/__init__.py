"""Provides the app's screens, one per file: intake, walk, verdict, help and the small dialogs."""

from __future__ import annotations
