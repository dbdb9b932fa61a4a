"""Time behind a tiny interface, so recording and pacing logic can run on a clock the test moves
(mockinterview.testing.ManualClock)."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now_s(self) -> float:
        """Seconds on a monotonic scale; only differences mean anything."""

    def sleep(self, s: float) -> None:
        """Let `s` seconds pass."""


class SystemClock:
    """The real monotonic clock."""

    def now_s(self) -> float:
        return time.monotonic()

    def sleep(self, s: float) -> None:
        if s > 0:
            time.sleep(s)
