"""Dataclasses to plain JSON-ready values (dicts, lists, str, numbers), for reports and CLI output alike.

Kept apart from the stages on purpose: importing it pulls in nothing heavy (no numpy, no model)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any


def to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
