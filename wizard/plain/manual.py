"""Provides the manual route for a probe that could not run: its CLI command (ProbeSpec.manual)
with the bucket, key, URL, page origin and host of this walk filled in."""

from __future__ import annotations

import re
from typing import Dict, Optional

from ..engine.facts import Facts
from ..probes.specs import PROBES
from ..untrusted import clean

# Only these names are filled; anything else in braces (a JSON snippet, a JMESPath) stays as written.
_FIELD = re.compile(r"\{(bucket|key|url|page_origin|page_url|host)\}")


def route_values(facts: Facts) -> Dict[str, Optional[str]]:
    """What a manual command may need, as far as the walk knows it."""
    sym = facts.symptom
    try:
        bucket, key = facts.bucket, facts.key
    except Exception:  # noqa: BLE001 - half-read probe data must not cost the person the route
        bucket, key = None, None
    return {"bucket": bucket, "key": key, "url": sym.url, "page_origin": sym.page_origin,
            "page_url": sym.page_url, "host": sym.host or None}


def _shell_text(value: str) -> str:
    # The templates put values inside single quotes; a quote in a key or URL must not end them.
    return clean(value).replace("\n", " ").replace("'", "'\\''")


def fill(template: str, values: Dict[str, Optional[str]]) -> str:
    """The template with known values in place and `<name>` where the value is not known."""
    def one(match: "re.Match[str]") -> str:
        value = values.get(match.group(1))
        return _shell_text(value) if value else f"<{match.group(1)}>"

    return _FIELD.sub(one, template)


def manual_route(probe: str, facts: Facts) -> str:
    """The command to look by hand for `probe` ('' when the catalogue has none)."""
    spec = PROBES.get(probe)
    if spec is None or not spec.manual:
        return ""
    return fill(spec.manual, route_values(facts))
