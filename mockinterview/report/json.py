"""The score report as JSON: the stable schema documented in docs/json-schema.md."""

from __future__ import annotations

import json
from typing import Any

from ..analysis.report_data import ScoreReport

SCHEMA_VERSION = 1  # raised only when a field changes meaning or is removed; new fields keep it


def to_json_dict(report: ScoreReport) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **report.to_dict()}


def render(report: ScoreReport) -> str:
    return json.dumps(to_json_dict(report), indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> ScoreReport:
    data = json.loads(text)
    data.pop("schema_version", None)
    return ScoreReport.from_dict(data)
