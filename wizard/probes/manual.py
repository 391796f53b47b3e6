"""Provides manual_route(): a probe's "look by hand" command (ProbeSpec.manual) with the names the
walk has learnt filled in, quoted so it is safe to paste. Both skins (Textual and plain) use it.

Pure. A name the walk does not know yet stays a visible `<placeholder>`, never an empty string
that would make a different command; braces that are not one of the known names (a JSON snippet,
a JMESPath) stay as written.
"""

from __future__ import annotations

import re
import shlex
from typing import Dict, Mapping, Optional

from ..aws.facts import EdgeFacts
from ..untrusted import clean
from .specs import PROBES

__all__ = ["known_names", "fill", "manual_route"]

_FIELD = re.compile(r"\{(bucket|key|url|page_origin|page_url|host|distribution_id)\}")


def known_names(facts: EdgeFacts) -> Dict[str, str]:
    """The names a manual route may use, as far as the walk knows them."""
    sym = facts.symptom
    try:
        dist = facts.distribution
        bucket, key, dist_id = facts.bucket, facts.key, dist.id if dist else None
    except Exception:  # noqa: BLE001 - half-read probe data must not cost the person the route
        bucket, key, dist_id = None, None, None
    names: Dict[str, Optional[str]] = {
        "url": sym.url, "page_origin": sym.page_origin, "page_url": sym.page_url, "host": sym.host,
        "bucket": bucket, "key": key, "distribution_id": dist_id,
    }
    return {k: str(v) for k, v in names.items() if v}


def fill(template: str, names: Mapping[str, Optional[str]]) -> str:
    """The template with `{name}` fields replaced: a value inside '…' has its quotes escaped, any
    other value is shell-quoted, and an unknown name becomes `<name>`."""

    def replace(match: "re.Match[str]") -> str:
        name = match.group(1)
        value = names.get(name)
        if not value:
            return f"<{name}>"
        value = clean(str(value)).replace("\n", " ")
        start, end = match.span()
        quoted = start > 0 and template[start - 1] == "'" and end < len(template) and template[end] == "'"
        return value.replace("'", "'\\''") if quoted else shlex.quote(value)

    return _FIELD.sub(replace, template)


def manual_route(probe: str, facts: EdgeFacts) -> str:
    """The command to look by hand for `probe` ('' when the catalogue gives none)."""
    spec = PROBES.get(probe)
    if spec is None or not spec.manual:
        return ""
    return fill(spec.manual, known_names(facts))
