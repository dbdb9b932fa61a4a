"""The Whisper model for tests: loaded once per pytest session, plus cached transcripts of files."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def whisper():
    """A Transcriber with the bundled tiny.en model and the default options (beam 5, filler prompt)."""
    from mockinterview.asr import Transcriber

    return Transcriber.load(None)


@pytest.fixture(scope="session")
def transcript_of(whisper):
    """transcript_of(path) -> Transcript with default options, computed once per file per session."""
    cache: dict[Path, object] = {}

    def get(path):
        key = Path(path).resolve()
        if key not in cache:
            cache[key] = whisper.transcribe(key)
        return cache[key]

    return get
