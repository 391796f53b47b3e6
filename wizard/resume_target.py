"""Provides the rule for where a resumed walk's probes go: journals are data, not configuration.

A journal records the target its walk ran against (AWS profile, endpoint, HTTP route, lab). Anyone
who can write a journal (a shared EDGEWIZ_STATE_DIR, a file passed around) could point those at a
listener of their own and collect the caller's signed requests. So resume takes the target from the
command line and the environment, like any new walk; the journal's routing settings are used only
when the user has seen them and said yes on a terminal, never in a script.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Tuple

from .untrusted import sanitize

# Settings that decide where credentials and probes go. Region only picks an AWS region (botocore
# refuses names that are not region-shaped), and no_aws only takes access away: those two may come
# from the journal without asking.
ROUTING = ("profile", "endpoint_url", "connect_to", "lab_scenario")


@dataclass
class Flags:
    """What the user gave on the command line (None: not given)."""

    profile: Optional[str] = None
    region: Optional[str] = None
    endpoint_url: Optional[str] = None
    connect_to: Optional[str] = None
    no_aws: bool = False
    lab: Optional[str] = None

    def given(self) -> bool:
        return any((self.profile, self.region, self.endpoint_url, self.connect_to, self.no_aws, self.lab))


@dataclass
class Plan:
    """What resume will run against: `flags` (completed), plus the journal settings that need a yes."""

    flags: Flags
    asks: List[Tuple[str, str]] = field(default_factory=list)  # (flag, value) the journal wants


def _connect_to_flag(value: Any) -> Optional[str]:
    if isinstance(value, Mapping):
        return ",".join(addr if host == "*" else f"{host}={addr}" for host, addr in value.items()) or None
    return str(value) if value else None


def _builtin_lab(name: str, builtin: Optional[List[str]]) -> bool:
    return builtin is not None and name in builtin


def plan(saved: Mapping[str, Any], flags: Flags, builtin_labs: Optional[List[str]] = None) -> Plan:
    """Where to resume: the flags when any were given (the journal's target is then ignored);
    otherwise the defaults, with the journal's region and no_aws, and each routing setting the
    journal holds listed in `asks`. A built-in lab scenario needs no yes: the lab it restarts has
    its own endpoint, route and credentials, so no credential of the user's goes anywhere."""
    if flags.given():
        return Plan(flags)
    saved = saved if isinstance(saved, Mapping) else {}
    out = Flags(region=saved.get("region") if isinstance(saved.get("region"), str) else None,
                no_aws=saved.get("no_aws") is True)
    asks: List[Tuple[str, str]] = []
    lab = saved.get("lab_scenario")
    if isinstance(lab, str) and lab:
        if _builtin_lab(lab, builtin_labs):
            out.lab = lab
        else:
            asks.append(("--lab", lab))
        return Plan(out, asks)  # on the lab, endpoint and route are the restarted lab's own
    for key, flag in (("profile", "--profile"), ("endpoint_url", "--endpoint-url"), ("connect_to", "--connect-to")):
        value = _connect_to_flag(saved.get(key)) if key == "connect_to" else saved.get(key)
        if value:
            asks.append((flag, str(value)))
    return Plan(out, asks)


def adopt(p: Plan) -> Flags:
    """The plan's flags with the journal's settings taken (after the user said yes)."""
    flags = p.flags
    for flag, value in p.asks:
        setattr(flags, {"--lab": "lab", "--endpoint-url": "endpoint_url", "--connect-to": "connect_to",
                        "--profile": "profile"}[flag], value)
    return flags


def shown(asks: List[Tuple[str, str]]) -> str:
    """The journal's settings as flags, cleaned and shell-quoted (what the user would type)."""
    return " ".join(f"{flag} {shlex.quote(sanitize(value))}" for flag, value in asks)
