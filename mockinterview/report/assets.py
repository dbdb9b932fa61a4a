"""The report page's stylesheet and script, shipped as package data files (report/static/)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def asset(name: str) -> str:
    return files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def stylesheet() -> str:
    return asset("report.css")


def script() -> str:
    return asset("report.js")
