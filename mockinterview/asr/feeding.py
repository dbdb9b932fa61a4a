"""The microphone adaptor of live transcription: a Microphone that also feeds a streaming session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..audio.microphone import Microphone
    from .streaming import StreamingSession


class FeedingMicrophone:
    """A Microphone that hands every block it delivers to a streaming session as well: wrap the real
    one, give the wrapper to the recorder, and transcription follows the recording."""

    def __init__(self, microphone: Microphone, session: StreamingSession) -> None:
        self._microphone = microphone
        self.session = session
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
        if block is not None and block.size and not self.session.finished:
            self.session.feed(block)
        return block

    def __enter__(self) -> FeedingMicrophone:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
