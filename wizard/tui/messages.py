"""Provides the messages the app's thread workers post back to the screens: the lab coming up, a
session ready, a step ready, each probe's state as it changes, the verdict, a re-check's result.

Workers never touch widgets; they post one of these and the screen updates itself on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from textual.message import Message

from ..model import PathGraph, ProbeOutcome


@dataclass
class LabProgress(Message):
    """A line of progress while the lab comes up."""

    text: str


@dataclass
class LabReady(Message):
    """The lab is up; the intake's prefilled values."""

    prefill: Dict[str, str]


@dataclass
class LabFailed(Message):
    """The lab could not start."""

    error: str


@dataclass
class SessionReady(Message):
    """A walk session (new or resumed) is ready to drive."""

    session: Any  # WalkSession
    resumed: bool = False


@dataclass
class SessionFailed(Message):
    """A session could not be opened (bad profile, damaged journal...)."""

    error: str


@dataclass
class StepReady(Message):
    """The walk says what it needs next; the path and the steps as far as it has got."""

    action: Any  # NeedProbes | NeedAnswer | Done
    path: PathGraph
    steps: List[Any]
    auto_run: bool = False  # arrived by going forward: run the node's probes at once


@dataclass
class ProbeUpdate(Message):
    """One probe changed state: running, ok, denied, error or skipped."""

    probe: str
    state: str
    outcome: Optional[ProbeOutcome] = None


@dataclass
class ProbesFinished(Message):
    """A probe node's probes are done (recorded and journaled)."""

    node: str
    outcomes: List[ProbeOutcome] = field(default_factory=list)
    cancelled: bool = False


@dataclass
class VerdictReady(Message):
    """The walk reached its end: the diagnosis."""

    diagnosis: Any  # Diagnosis


@dataclass
class RecheckProgress(Message):
    """What a re-check is doing now."""

    text: str


@dataclass
class RecheckDone(Message):
    """A re-check finished: its session and diagnosis."""

    session: Any
    diagnosis: Any
