"""The microphone adaptor of live transcription: a Microphone that also feeds a streaming session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..audio.tap import TappedMicrophone

if TYPE_CHECKING:
    from ..audio.microphone import Microphone
    from .streaming import StreamingSession


class FeedingMicrophone(TappedMicrophone):
    """A Microphone that hands every block it delivers to a streaming session as well: wrap the real
    one, give the wrapper to the recorder, and transcription follows the recording."""

    def __init__(self, microphone: Microphone, session: StreamingSession) -> None:
        super().__init__(microphone, self._feed)
        self.session = session

    def _feed(self, block: np.ndarray) -> None:
        if not self.session.finished:
            self.session.feed(block)
