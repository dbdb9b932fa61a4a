"""Whisper's features and the frame levels computed a block at a time: the same values as the whole-array
computation, and memory that does not grow with the audio beyond the result (asr/features.py)."""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from mockinterview.analysis.pacing import speech_onsets
from mockinterview.asr.features import BLOCK_FRAMES, install, log_mel
from mockinterview.asr.speech import FRAME_SAMPLES, frame_levels_db
from mockinterview.audio.file import read_audio

from conftest import FIXTURES
from helpers_measure import peak_bytes as _peak_bytes

HOP = 160


@pytest.fixture(scope="module")
def answer() -> np.ndarray:
    return read_audio(FIXTURES / "strong_answer.flac").samples


@pytest.mark.parametrize("length", [50, 401, 12_345, BLOCK_FRAMES * HOP - 160, BLOCK_FRAMES * HOP + 7, None])
def test_block_features_equal_faster_whispers_bit_for_bit(answer, length):
    audio = answer[:length]
    extractor = FeatureExtractor()
    assert np.array_equal(log_mel(extractor, audio), extractor(audio))


def test_an_installed_model_computes_its_features_in_blocks(answer):
    class Model:
        feature_extractor = FeatureExtractor()

    model = Model()
    whole = model.feature_extractor(answer[:400_000], chunk_length=30)
    install(model)
    assert type(model.feature_extractor).__name__ == "BlockFeatureExtractor"
    assert np.array_equal(model.feature_extractor(answer[:400_000], chunk_length=30), whole)
    assert model.feature_extractor.nb_max_frames == 3000


def test_the_features_of_ten_minutes_take_little_more_memory_than_the_features(answer):
    audio = np.concatenate([answer] * 4)[: 600 * 16_000]
    extractor = FeatureExtractor()
    whole_peak, _ = _peak_bytes(lambda: extractor(audio))
    block_peak, features = _peak_bytes(lambda: log_mel(extractor, audio))
    working = block_peak - features.nbytes
    assert working < 64e6, f"{working / 1e6:.0f} MB besides the features"
    assert whole_peak > 10 * block_peak  # what faster-whisper's own way costs on the same audio


def test_frame_levels_and_onsets_do_not_depend_on_the_blocks(answer, monkeypatch):
    from mockinterview.analysis import pacing

    audio = np.concatenate([answer] * 2)
    n = audio.size // FRAME_SAMPLES
    frames = audio[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES).astype(np.float64)
    assert frame_levels_db(audio) == (10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)).tolist()
    onsets = speech_onsets(audio, 16_000)
    monkeypatch.setattr(pacing, "ONSET_BLOCK_FRAMES", 10**9)  # the whole file at once
    assert len(onsets) > 40 and onsets == speech_onsets(audio, 16_000)
