"""Provides jsonable(): boto3 answers made JSON-safe (datetimes, bytes, Decimals), so probe data can
be journaled and replayed."""

from __future__ import annotations

import datetime
import decimal
from typing import Any


def jsonable(value: Any) -> Any:
    """A copy of `value` with only JSON types; drops boto3's ResponseMetadata."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
