"""Provides the intake: what the person sees, the failing URL, the page that loads it, and the
AWS profile and region, prefilled from the lab, the flags and the environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Union
from urllib.parse import urlsplit

from ..commands.common import CliError, check_url, origin_of
from ..engine.facts import Symptom
from ..request_method import METHODS, method_field
from .output import Output
from .prompts import Prompter

SAW = (
    ("403", "403 Forbidden"),
    ("cors", "A CORS error in the browser console"),
    ("504", "504 Gateway Timeout"),
    ("other", "Something else"),
)

Q_SAW = "What do you see?"
Q_URL = "The failing URL (the asset or API the browser requests):"
Q_PAGE = "The page that loads it, or its origin (blank if none):"
Q_METHOD = "The failing request's method (GET unless the app sends a POST, PUT...):"
Q_PROFILE = "AWS profile (blank: the normal credential chain):"
Q_REGION = "AWS region of the origin's resources (blank: the profile's):"


@dataclass
class Intake:
    """What the intake established."""

    symptom: Symptom
    profile: Optional[str] = None
    region: Optional[str] = None


def valid_url(text: str) -> Union[bool, str]:
    """questionary validator: True, or what is wrong."""
    try:
        check_url(text.strip())
    except CliError as exc:
        return str(exc)
    return True


def valid_page(text: str) -> Union[bool, str]:
    """questionary validator for the optional page URL or origin."""
    return True if not text.strip() else valid_url(text)


def page_fields(text: str) -> Dict[str, Optional[str]]:
    """A page URL (it has a path, even '/') or a bare origin, as (page_url, page_origin)."""
    text = text.strip()
    if not text:
        return {"page_url": None, "page_origin": None}
    page_url = text if urlsplit(text).path else None
    return {"page_url": page_url, "page_origin": origin_of(text)}


def ask_intake(prompter: Prompter, out: Output, prefill: Dict[str, str], on_lab: bool) -> Intake:
    """Ask (or, without a terminal, take) the intake values; CliError when there is no usable URL."""
    if not prompter.interactive:
        out.say("Intake (stdin is not a terminal: using the prefilled values)")
    saw_default = prefill.get("saw") if prefill.get("saw") in dict(SAW) else "other"
    if prompter.interactive:
        saw = prompter.select(Q_SAW, SAW, saw_default)
    else:
        saw = saw_default
    url = prompter.text(Q_URL, prefill.get("url", ""), valid_url)
    if valid_url(url) is not True:
        raise CliError("no URL to diagnose: run `edgewiz --plain` in a terminal, pass --lab SCENARIO, "
                       "or use `edgewiz diagnose URL`")
    page = prompter.text(Q_PAGE, prefill.get("page") or prefill.get("origin", ""), valid_page)
    if valid_page(page) is not True:
        raise CliError(f"the page must look like https://host/path (got {page!r})")
    method = _ask_method(prompter, prefill.get("method", ""))
    profile = region = None
    if not on_lab:
        profile = prompter.text(Q_PROFILE, prefill.get("profile", "")) or None
        region = prompter.text(Q_REGION, prefill.get("region", "")) or None
    symptom = Symptom(url=url.strip(), complaint=saw, method=method_field(method), **page_fields(page))
    if not prompter.interactive:
        out.say(f"   Saw: {dict(SAW)[saw]}")
        out.say(f"   URL: {symptom.url}")
        out.say(f"   Page: {symptom.page_url or symptom.page_origin or '(none)'}")
        out.say(f"   Method: {method}")
        if not on_lab:
            out.say(f"   AWS: profile {profile or '(default chain)'}, region {region or '(default)'}")
    return Intake(symptom, profile, region)


def _ask_method(prompter: Prompter, prefilled: str) -> str:
    """The method the person reports (GET unless said otherwise); edgewiz itself still sends only
    GET, HEAD and OPTIONS, the method is evidence (a POST through OAC to a Lambda URL, say)."""
    default = prefilled.upper() if prefilled.upper() in METHODS else "GET"
    if not prompter.interactive:
        return default
    return prompter.select(Q_METHOD, tuple((m, m) for m in METHODS), default)

