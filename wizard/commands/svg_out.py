"""Provides the `--svg FILE` option of `edgewiz diagnose` and `edgewiz lab run`: the traffic graph as an
SVG for incident docs (report/graph_svg), checked before the walk so a bad path fails at once."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .common import CliError


def add_option(parser) -> None:
    parser.add_argument("--svg", metavar="FILE",
                        help="also write the traffic path (hops, security groups, network ACLs) as an SVG to FILE")


def check(value: Optional[str]) -> Optional[Path]:
    """The SVG's path, or None; CliError (one line, exit 2) when it cannot be written there."""
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_dir():
        raise CliError(f"--svg {value}: is a directory; name a file, e.g. {path / 'path.svg'}")
    if not path.parent.is_dir():
        raise CliError(f"--svg {value}: the directory {path.parent} does not exist")
    return path


def write(diagnosis, path: Optional[Path]) -> None:
    """Write the diagnosis's graph to `path` (after the report is out, so a failure loses nothing)."""
    if path is None:
        return
    from ..report import graph_svg

    try:
        path.write_text(graph_svg.render(diagnosis.graph, title=f"edgewiz: {diagnosis.symptom.url}"),
                        encoding="utf-8")
    except OSError as exc:
        raise CliError(f"--svg {path}: could not write it ({exc.strerror or exc})") from None
