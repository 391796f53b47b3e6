"""Provides load_rewritten(): loads one moto module from moto's own source text, rewritten, for the
patches that must change module-level statements (there is no function to wrap).

Used by ec2_instance_types (its catalogue read on first use) and ec2_regions (its region table read
through one shared session). The rewrite is a pure function of moto's text that returns None when
the text is not what it expects (another moto version): then the module is imported unchanged,
slower but never wrong. Names in `helpers` are put in the module before its text runs.
"""

from __future__ import annotations

import importlib.abc
import sys
from typing import Any, Callable, Dict, Optional

Rewrite = Callable[[str], Optional[str]]


class _RewritingLoader(importlib.abc.Loader):
    def __init__(self, original: Any, rewrite: Rewrite, helpers: Dict[str, Any]) -> None:
        self._original, self._rewrite, self._helpers = original, rewrite, helpers

    def create_module(self, spec):
        return None

    def get_source(self, fullname: str) -> Optional[str]:
        """moto's own text of the module (what the rewrite starts from)."""
        return self._original.get_source(fullname)

    def exec_module(self, module) -> None:
        source = self._original.get_source(module.__name__)
        rewritten = self._rewrite(source) if source else None
        if rewritten is None:
            self._original.exec_module(module)
            return
        module.__dict__.update(self._helpers)
        exec(compile(rewritten, module.__file__, "exec"), module.__dict__)  # noqa: S102 - moto's own source


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, module: str, rewrite: Rewrite, helpers: Dict[str, Any]) -> None:
        self.module, self._rewrite, self._helpers = module, rewrite, helpers

    def find_spec(self, fullname, path, target=None):
        if fullname != self.module:
            return None
        for finder in sys.meta_path:
            if isinstance(finder, _Finder) or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "get_source"):
                    spec.loader = _RewritingLoader(spec.loader, self._rewrite, self._helpers)
                return spec
        return None


def load_rewritten(module: str, rewrite: Rewrite, helpers: Dict[str, Any]) -> None:
    """From now on, import `module` through `rewrite` (idempotent). It must run before the module is
    imported; after, it changes nothing."""
    if module in sys.modules or any(isinstance(f, _Finder) and f.module == module for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder(module, rewrite, helpers))
