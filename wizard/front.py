"""Provides Backend: what a front end (the Textual app or plain mode) needs to start walks — the
lab when asked for, prefilled intake values, new or resumed WalkSessions — without knowing how
AWS access, HTTP routing or the lab are put together."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the app's first frame should not wait for networkx and yaml
    from .engine.facts import Symptom
    from .walk_session import Target, WalkSession


@dataclass
class LaunchOptions:
    """What the front end starts with. `edgewiz` sets `lab`; `edgewiz resume` also passes the journal's
    profile, region, connect_to, no_aws and endpoint_url. The intake values (url, origin, page, saw)
    and journal_dir have no flag: they are for callers that embed the wizard (tests, screenshots)."""

    lab: Optional[str] = None
    url: Optional[str] = None
    origin: Optional[str] = None
    page: Optional[str] = None
    saw: Optional[str] = None
    profile: Optional[str] = None
    region: Optional[str] = None
    connect_to: Optional[str] = None
    no_aws: bool = False
    journal_dir: Optional[Path] = None
    endpoint_url: Optional[str] = None  # else $AWS_ENDPOINT_URL


class Backend:
    """Builds sessions for a front end; owns the lab and the probe runner's lifetime."""

    def __init__(self, options: LaunchOptions, progress: Callable[[str], None] = lambda _m: None) -> None:
        self.options = options
        self.progress = progress
        self._lab = None
        self.lab_env = None
        self._runners = []

    # The lab ------------------------------------------------------------------------------------

    def start_lab(self) -> None:
        """Bring up the lab scenario named in the options (slow: call it in a worker)."""
        if not self.options.lab or self.lab_env is not None:
            return
        from .lab.lab import Lab
        from .lab.scenario import load_scenario

        self._lab = Lab(load_scenario(self.options.lab), progress=self.progress)
        self.lab_env = self._lab.start()

    def prefill(self) -> Dict[str, str]:
        """Intake values known before asking: from the lab's symptom, the flags, the environment."""
        out = {"url": self.options.url or "", "origin": self.options.origin or "", "page": self.options.page or "",
               "saw": self.options.saw or "",
               "profile": self.options.profile or os.environ.get("AWS_PROFILE", ""),
               "region": self.options.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")}
        if self.lab_env is not None:
            sym = self.lab_env.symptom
            out.update(url=sym.url, origin=sym.page_origin or "", page=sym.page_url or "", saw=sym.complaint or "",
                       region=self.lab_env.region, profile="(lab)")
        return out

    # Sessions -----------------------------------------------------------------------------------

    def target(self) -> "Target":
        from .commands.common import parse_connect_to
        from .walk_session import Target

        if self.lab_env is not None:
            env = self.lab_env
            return Target(region=env.region, endpoint_url=env.aws_endpoint, connect_to={"*": env.edge_address},
                          lab_scenario=self.options.lab, credentials=env.credentials)
        return Target(profile=self.options.profile, region=self.options.region,
                      endpoint_url=self.options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
                      connect_to=parse_connect_to(self.options.connect_to), no_aws=self.options.no_aws)

    def _runner(self, target: "Target"):
        from .commands.common import make_access, make_http
        from .probes.runner import ProbeRunner

        access = None if target.no_aws else make_access(target.profile, target.region, target.endpoint_url,
                                                        target.credentials)
        runner = ProbeRunner(access, make_http(target.connect_to))
        self._runners.append(runner)
        return runner

    def new_session(self, symptom: "Symptom") -> "WalkSession":
        """A fresh walk for the symptom, journaled from its first step."""
        from .walk_session import WalkSession

        target = self.target()
        return WalkSession(symptom, self._runner(target), target, journal_dir=self.options.journal_dir)

    def resume_session(self, path: Path) -> "WalkSession":
        """A walk rebuilt from its journal, probing where the options say (the lab, if they name
        one). The journal's recorded target is never used here: a journal is data, not
        configuration; `edgewiz resume` shows it and turns it into options only after a yes."""
        from .walk_session import WalkSession, open_journal

        contents = open_journal(path)
        if self.options.lab and self.lab_env is None:
            self.start_lab()
        target = self.target()
        return WalkSession.resume(contents, self._runner(target), target)

    def close(self) -> None:
        for runner in self._runners:
            runner.close()
        if self._lab is not None:
            self._lab.stop()
            self._lab = None
