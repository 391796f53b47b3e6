"""Provides run_app(): the Textual skin over the walk engine (`edgewiz`, `edgewiz --lab NAME`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

__all__ = ["run_app"]


def run_app(backend, resume_path: Optional[Path] = None) -> int:
    """Run the full-screen wizard on `backend` (the caller closes the backend); the exit status."""
    from .app import EdgewizApp

    app = EdgewizApp(backend, resume_path=Path(resume_path) if resume_path else None)
    app.run()
    return int(app.return_code or 0)
