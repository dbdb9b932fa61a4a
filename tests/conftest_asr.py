"""The Whisper model for tests, and transcripts that are the same on every run.

Whisper falls back to sampling when a greedy decode looks wrong, and CTranslate2 draws those samples
from a generator each worker thread seeds once, from the seed set before the model is made. A model
shared by the whole session therefore hands each test whatever draws the tests before it left over
(and the streaming tests consume a number of draws that depends on thread timing). So every
transcript a test judges is made by a freshly seeded model: the same audio with the same options
always gives the same words, whatever ran before, on a fresh clone as in a warm checkout.

Each (audio, options) pair is transcribed once per session and kept in pytest's cache folder under a
key of everything that changes a transcript (mockinterview/asr/fingerprint.py: the audio's samples, the
model files, the options and terms, the seed, the source of mockinterview/asr/, the library versions).
`pytest --cache-clear` starts from scratch.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

SEED = 0


@pytest.fixture(scope="session")
def whisper():
    """A Transcriber with the bundled tiny.en model and the default options (beam 5, filler prompt),
    shared by the session: for tests that judge what does not depend on fallback draws."""
    from mockinterview.asr import Transcriber

    return Transcriber.load(None)


def _samples(audio) -> np.ndarray:
    from mockinterview.audio.clip import AudioClip
    from mockinterview.audio.file import read_audio

    if isinstance(audio, AudioClip):
        return audio.samples
    if isinstance(audio, np.ndarray):
        return audio
    return read_audio(Path(audio)).samples


@pytest.fixture(scope="session")
def transcript_of(request):
    """transcript_of(audio, terms=(), speech_end_s=None, **options) -> Transcript from a model seeded
    afresh for it; `audio` is a path, an AudioClip or 16 kHz samples; `options` are TranscribeOptions
    fields (the product's defaults otherwise)."""
    from mockinterview.asr import Transcriber, TranscribeOptions, Transcript, load_model
    from mockinterview.asr.fingerprint import transcript_key
    from mockinterview.asr.model import bundled_model_path

    made: dict[str, Transcript] = {}
    store = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`

    def get(audio, terms: Sequence[str] = (), *, speech_end_s: float | None = None, **options) -> Transcript:
        samples = np.ascontiguousarray(_samples(audio), dtype=np.float32)
        settings = TranscribeOptions(terms=tuple(terms), **options)
        inputs = f"{settings!r}|speech_end_s={speech_end_s}|seed={SEED}"
        key = "mockinterview/transcripts/" + transcript_key(samples, str(bundled_model_path()), inputs)
        if key not in made:
            stored = store.get(key, None) if store is not None else None
            if stored is not None:
                made[key] = Transcript.from_dict(stored)
            else:
                transcriber = Transcriber(load_model(None, seed=SEED), settings)
                made[key] = transcriber.transcribe(samples, speech_end_s=speech_end_s)
                if store is not None:
                    store.set(key, made[key].to_dict())
        return made[key]

    return get
