"""A Microphone that hands every block it delivers to listeners as well (the pitch follower, a streaming
transcription): wrap the real one, give the wrapper to the recorder, and they follow the recording."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .microphone import Microphone


class TappedMicrophone:
    def __init__(self, microphone: Microphone, *listeners: Callable[[np.ndarray], None]) -> None:
        self._microphone = microphone
        self._listeners = listeners
        self.name = microphone.name
        self.sample_rate_hz = microphone.sample_rate_hz

    @property
    def level_dbfs(self) -> float:
        return self._microphone.level_dbfs

    def start(self) -> None:
        self._microphone.start()

    def stop(self) -> None:
        self._microphone.stop()

    def read(self, timeout_s: float = 0.1) -> np.ndarray | None:
        block = self._microphone.read(timeout_s)
        if block is not None and block.size:
            for listener in self._listeners:
                listener(block)
        return block

    def __enter__(self) -> TappedMicrophone:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
