"""Provides the lab's fix to how moto's server builds its routes: the URL-building code werkzeug
generates for every route is generated only if a URL is ever built from it.

moto 5.2.5 routes with werkzeug Rules in two places: the Flask app it builds per service on the
service's first request (create_backend_app: the service's URL patterns), and the operation router
of each REST service (moto.core.routing: one SmithyRule per operation URI, 164 for CloudFront).
Compiling a Rule makes its matching regex and also writes, compiles and execs two Python functions
for building URLs from the rule (url_for). moto only matches requests, never builds URLs: ~330
generated functions for CloudFront's router alone, 0.1-0.3 s of a first lab. Here those two
functions are made when first called, exactly as werkzeug would have made them.
"""

from __future__ import annotations

from typing import Any, Callable


def _lazy_compile_builder(rule_class: Any) -> Callable[..., Any]:
    """A `_compile_builder` for `rule_class` that defers werkzeug's (the original) to first use."""
    original = rule_class._compile_builder

    def _compile_builder(self: Any, append_unknown: bool = True) -> Callable[..., Any]:
        made: list = []

        def build(rule: Any, *args: Any, **kwargs: Any) -> Any:
            if not made:
                made.append(original(rule, append_unknown).__get__(rule, None))
            return made[0](*args, **kwargs)

        return build

    _compile_builder._edgewiz_lazy = True  # type: ignore[attr-defined]
    return _compile_builder


def _lazy_rule_class() -> Any:
    from werkzeug.routing import Rule

    class LazyBuildRule(Rule):
        """A werkzeug Rule whose URL builders are generated on first use."""

    LazyBuildRule._compile_builder = _lazy_compile_builder(Rule)  # type: ignore[method-assign]
    return LazyBuildRule


def apply() -> None:
    from moto.core import routing
    from moto.moto_server import werkzeug_app

    if not getattr(routing.SmithyRule.__dict__.get("_compile_builder"), "_edgewiz_lazy", False):
        routing.SmithyRule._compile_builder = _lazy_compile_builder(routing.SmithyRule)
    if getattr(werkzeug_app.Flask, "_edgewiz_lazy_routes", False):
        return
    rule_class = _lazy_rule_class()

    class LabFlask(werkzeug_app.Flask):  # type: ignore[name-defined, misc]
        """moto's per-service app, whose routes build URL builders lazily."""

        _edgewiz_lazy_routes = True
        url_rule_class = rule_class

    werkzeug_app.Flask = LabFlask
