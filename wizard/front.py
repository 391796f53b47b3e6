"""Provides Backend: what a front end (the Textual app or plain mode) needs to start walks — the
lab when asked for, prefilled intake values, new or resumed WalkSessions — without knowing how
AWS access, HTTP routing or the lab are put together."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional

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
    method: Optional[str] = None  # the failing request's method, when not GET
    profile: Optional[str] = None
    region: Optional[str] = None
    connect_to: Optional[str] = None
    no_aws: bool = False
    journal_dir: Optional[Path] = None
    endpoint_url: Optional[str] = None  # else $AWS_ENDPOINT_URL
    # `edgewiz resume`: join a running `lab up` / `train start` lab of that scenario (wizard/lab/running.py)
    # rather than build a fresh one that has lost the trainee's fixes.
    reuse_running_lab: bool = False


class Backend:
    """Builds sessions for a front end; owns the lab and the probe runner's lifetime."""

    def __init__(self, options: LaunchOptions, progress: Callable[[str], None] = lambda _m: None,
                 aws_server=None) -> None:
        """`aws_server`: a running LabAwsServer for the lab to build in (the Lab's own argument: a
        caller that brings up many labs, such as the test suite, starts one and stops it once)."""
        self.options = options
        self._aws_server = aws_server
        self._progress = progress
        self._said: List[str] = []  # every progress line so far: a listener that comes late hears them too
        self._lock = threading.Lock()
        self._lab = None
        self.lab_env = None
        self._runners = []
        self._building: Optional[threading.Thread] = None
        self._lab_error: Optional[BaseException] = None

    # Progress -----------------------------------------------------------------------------------

    @property
    def progress(self) -> Callable[[str], None]:
        """What hears the lab's progress lines (setting it replays the lines said before)."""
        return self._say

    @progress.setter
    def progress(self, listener: Callable[[str], None]) -> None:
        with self._lock:
            said = list(self._said)
            self._progress = listener
        for message in said:
            listener(message)

    @property
    def progress_line(self) -> str:
        """The last progress line said ('' before any)."""
        with self._lock:
            return self._said[-1] if self._said else ""

    def _say(self, message: str) -> None:
        with self._lock:
            self._said.append(message)
            listener = self._progress
        listener(message)

    # The lab ------------------------------------------------------------------------------------

    def begin_lab(self) -> None:
        """Start building the lab named in the options in a background thread (at once, while the
        front end starts and the person fills the intake); start_lab() then waits for it."""
        with self._lock:
            if not self.options.lab or self.lab_env is not None or self._building is not None:
                return
            self._building = threading.Thread(target=self._build_lab, name="edgewiz-lab", daemon=True)
        self._building.start()

    def _build_lab(self) -> None:
        try:
            self._start_lab_now()
        except BaseException as exc:  # kept for whoever waits: start_lab() raises it there
            self._lab_error = exc

    @property
    def lab_building(self) -> bool:
        """A background build is under way (begin_lab() was called and has not finished)."""
        return self._building is not None and self._building.is_alive()

    def start_lab(self) -> None:
        """Bring up the lab scenario named in the options (slow: call it in a worker). When
        begin_lab() already started it, wait for that build and raise what it raised."""
        building = self._building
        if building is not None:
            building.join()
            if self._lab_error is not None:
                error, self._lab_error, self._building = self._lab_error, None, None
                raise error
            return
        self._start_lab_now()

    def _start_lab_now(self) -> None:
        if not self.options.lab or self.lab_env is not None:
            return
        if self.options.reuse_running_lab and self._join_running_lab():
            return
        from .lab.lab import Lab
        from .lab.scenario import load_scenario

        lab = Lab(load_scenario(self.options.lab), progress=self._say, aws_server=self._aws_server)
        env = lab.start()
        self._lab = lab
        self.lab_env = env

    def _join_running_lab(self) -> bool:
        from .lab.running import find

        found = find(self.options.lab)
        if found is None:
            return False
        self.lab_env, pid = found  # not ours to stop: close() leaves it running
        self._say(f"reconnected to the running lab {self.options.lab} (pid {pid}): its state, with any fixes, is kept")
        return True

    def prefill(self) -> Dict[str, str]:
        """Intake values known before asking: from the lab's symptom, the flags, the environment."""
        out = {"url": self.options.url or "", "origin": self.options.origin or "", "page": self.options.page or "",
               "saw": self.options.saw or "", "method": self.options.method or "",
               "profile": self.options.profile or os.environ.get("AWS_PROFILE", ""),
               "region": self.options.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "")}
        if self.options.lab:
            out.update(profile="(lab)", region="")  # the lab's own endpoint and keys; its region comes with it
        if self.lab_env is not None:
            sym = self.lab_env.symptom
            out.update(url=sym.url, origin=sym.page_origin or "", page=sym.page_url or "", saw=sym.complaint or "",
                       method=sym.method or "", region=self.lab_env.region, profile="(lab)")
        return out

    # Sessions -----------------------------------------------------------------------------------

    def target(self) -> "Target":
        from .commands.common import parse_connect_to
        from .walk_session import Target

        if self.lab_env is not None:
            env = self.lab_env
            return Target(region=env.region, endpoint_url=env.aws_endpoint, connect_to={"*": env.edge_address},
                          lab_scenario=self.options.lab, credentials=env.credentials)
        # $EDGEWIZ_CONNECT_TO as for `diagnose`: in a `lab up` / `train start` shell the lab's edge
        # has no DNS name, so without it every HTTP probe 'did not resolve'.
        connect_to = self.options.connect_to or os.environ.get("EDGEWIZ_CONNECT_TO") or None
        return Target(profile=self.options.profile, region=self.options.region,
                      endpoint_url=self.options.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
                      connect_to=parse_connect_to(connect_to), no_aws=self.options.no_aws)

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
        if self._building is not None:
            self._building.join()  # a lab half built would leave its servers running: let it finish, then stop it
        if self._lab is not None:
            self._lab.stop()
            self._lab = None
