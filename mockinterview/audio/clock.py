"""Time behind a tiny interface, so recording and pacing logic can run on a clock the test moves."""

from __future__ import annotations

import threading
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


class ManualClock:
    """A clock that only moves when told to; `sleep` moves it, so code that waits returns at once."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_s = float(start_s)
        self._lock = threading.Lock()

    def now_s(self) -> float:
        with self._lock:
            return self._now_s

    def sleep(self, s: float) -> None:
        self.advance(s)

    def advance(self, s: float) -> None:
        if s < 0:
            raise ValueError(f"a clock cannot go back ({s} s)")
        with self._lock:
            self._now_s += s
