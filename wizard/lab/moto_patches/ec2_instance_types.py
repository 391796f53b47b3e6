"""Provides the lab's fix to moto's EC2 import: its instance-type catalogue is read when first used,
not when moto.ec2 is imported.

moto 5.2.5's moto/ec2/models/instance_types.py reads, at import, instance_types.json (1,395 types)
and ~90 instance-type offering files (one per region, for regions, zones and zone ids), then wraps
every type in an InstanceType: 0.15-0.3 s of every first lab whose scenario has a VPC, a load
balancer or an ECS service. Only launching an instance (its type is checked against the offerings),
describe_instance_types / describe_instance_type_offerings and spot price history read them; the
lab's scenarios mostly build VPCs, security groups and load balancers.

moto reads the files in module-level statements, so there is no function to wrap: this patch loads
that module from moto's own source with the reading statements moved, unchanged, into a function
run on first use, and the module's three tables (INSTANCE_TYPES, INSTANCE_FAMILIES,
INSTANCE_TYPE_OFFERINGS) and InstanceTypeBackend.instance_types standing in for their contents until
then. If moto's source is not the text this expects (another moto version), the module is imported
unchanged: slower, never wrong, and tests/lab/test_moto_ec2_instance_types.py says so.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Dict, Optional, Tuple

from .source_rewrite import load_rewritten

MODULE = "moto.ec2.models.instance_types"

# The reading statements, from the first to the line before `class InstanceType`.
_DATA_START = 'INSTANCE_TYPES: dict[str, Any] = load_resource("ec2/resources/instance_types.json")\n'
_DATA_END = "\nclass InstanceType(dict[str, Any]):\n"
_CLASS_TABLE = "    instance_types = list(map(InstanceType, INSTANCE_TYPES.keys()))\n"


def rewrite(source: str) -> Optional[str]:
    """moto's module source with its file reading deferred, or None if the source is not moto 5.2.5's."""
    start = source.find(_DATA_START)
    end = source.find(_DATA_END, start + 1)
    if start < 0 or end < 0 or source.count(_CLASS_TABLE) != 1:
        return None
    block = source[start:end].rstrip("\n")
    body = "".join("    " + line if line.strip() else line for line in block.splitlines(keepends=True))
    deferred = ("def _edgewiz_read_tables():\n" + body + "\n"
                "    return INSTANCE_TYPES, INSTANCE_FAMILIES, INSTANCE_TYPE_OFFERINGS\n\n\n"
                "INSTANCE_TYPES, INSTANCE_FAMILIES, INSTANCE_TYPE_OFFERINGS = "
                "_edgewiz_deferred_tables(_edgewiz_read_tables)\n\n")
    table = "    instance_types = _edgewiz_deferred_attribute(lambda: list(map(InstanceType, INSTANCE_TYPES.keys())))\n"
    return (source[:start] + deferred + source[end:]).replace(_CLASS_TABLE, table)


class _Tables:
    """Reads moto's tables once, on the first use of any of them (any thread)."""

    def __init__(self, read: Callable[[], Tuple[Any, Any, Any]]) -> None:
        self._read = read
        self._lock = threading.Lock()
        self.values: Optional[Tuple[Any, Any, Any]] = None

    def get(self, index: int) -> Any:
        if self.values is None:
            with self._lock:
                if self.values is None:
                    self.values = self._read()
        return self.values[index]


class _Deferred:
    """Filled from the tables on first use: every read moto makes of the table (index, iterate, test
    membership, .get, compare) fills it first. `_load` adds the table's contents (dict.update or
    list.extend)."""

    _load: Callable[[Any, Any], None]

    def __init__(self, tables: _Tables, index: int) -> None:
        super().__init__()
        self._tables, self._index, self._filled = tables, index, False

    def _fill(self) -> None:
        if not self._filled:
            data = self._tables.get(self._index)
            with self._tables._lock:
                if not self._filled:
                    type(self)._load(self, data)
                    self._filled = True

    __hash__ = None  # type: ignore[assignment]


def _fill_before(base: type, names: Tuple[str, ...]) -> Callable[[type], type]:
    """A class decorator: each of `base`'s methods `names` fills the table before it runs."""
    def filled(method: Callable[..., Any]) -> Callable[..., Any]:
        def read(self, *args, **kwargs):
            self._fill()
            return method(self, *args, **kwargs)
        return read

    def decorate(cls: type) -> type:
        for name in names:
            setattr(cls, name, filled(getattr(base, name)))
        return cls
    return decorate


_READS = ("__getitem__", "__contains__", "__iter__", "__len__", "__repr__", "__eq__")


@_fill_before(dict, _READS + ("get", "keys", "values", "items"))
class DeferredDict(_Deferred, dict):
    """A dict filled from the tables on first use (INSTANCE_TYPES, INSTANCE_TYPE_OFFERINGS)."""

    _load = dict.update


@_fill_before(list, _READS)
class DeferredList(_Deferred, list):
    """A list filled from the tables on first use (INSTANCE_FAMILIES: membership, iteration)."""

    _load = list.extend


def _deferred_tables(read: Callable[[], Tuple[Any, Any, Any]]) -> Tuple[DeferredDict, DeferredList, DeferredDict]:
    tables = _Tables(read)
    return DeferredDict(tables, 0), DeferredList(tables, 1), DeferredDict(tables, 2)


class _DeferredAttribute:
    """A class attribute computed on first read (InstanceTypeBackend.instance_types)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._value: Any = None
        self._made = False

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if not self._made:
            with self._lock:
                if not self._made:
                    self._value = self._make()
                    self._made = True
        return self._value


_HELPERS: Dict[str, Any] = {"_edgewiz_deferred_tables": _deferred_tables,
                            "_edgewiz_deferred_attribute": _DeferredAttribute}


def deferred() -> bool:
    """Whether moto's instance-type module was loaded by this patch (its tables are deferred)."""
    module = sys.modules.get(MODULE)
    return module is not None and isinstance(getattr(module, "INSTANCE_TYPES", None), DeferredDict)


def apply() -> None:
    """Load moto's instance-type module through the rewrite (idempotent). It must run before moto.ec2
    is imported; after, it changes nothing (the lab imports moto's EC2 only on its first EC2 call)."""
    load_rewritten(MODULE, rewrite, _HELPERS)
