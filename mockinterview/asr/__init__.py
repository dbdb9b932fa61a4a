"""Speech to text: the Whisper model (loaded once), the transcriber, and the Transcript values."""

from .model import BUNDLED_MODEL_NAME, SpeechModel, load_model, preload
from .transcriber import FILLER_PROMPT, TranscribeOptions, Transcriber, TranscriptionSession
from .transcript import Segment, Transcript, Word

__all__ = [
    "BUNDLED_MODEL_NAME",
    "FILLER_PROMPT",
    "Segment",
    "SpeechModel",
    "TranscribeOptions",
    "Transcriber",
    "Transcript",
    "TranscriptionSession",
    "Word",
    "load_model",
    "preload",
]
