"""Whisper's log-mel features computed a block at a time, so a long file costs little more memory than
its features.

faster-whisper computes the spectrogram of the whole audio in one go: its frames, their FFT and their
magnitudes come to about 50 bytes per sample (580 MB over 12 minutes). Each frame sees only its own
400 samples, and only the last step (clamp to 8 below the loudest value) looks at the whole, so the
frames are computed block by block and the clamp applied once at the end: the features are the same
values, bit for bit (tests/test_features.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

BLOCK_FRAMES = 3000  # 30 s of frames per block: a few tens of MB at most, whatever the length


def log_mel(extractor: Any, waveform: np.ndarray, padding: int = 160) -> np.ndarray:
    """What `extractor(waveform, padding)` (a faster_whisper FeatureExtractor) returns, in blocks."""
    n_fft, hop = extractor.n_fft, extractor.hop_length
    audio = np.asarray(waveform, dtype=np.float32).reshape(-1)
    length = audio.size + padding  # the audio, then `padding` zeros, then reflected at both ends
    half = n_fft // 2
    if length <= half:  # too short for one reflection: faster-whisper's own way (and its own errors)
        from faster_whisper.feature_extractor import FeatureExtractor

        return FeatureExtractor.__call__(extractor, audio, padding=padding)
    n_frames = 1 + length // hop
    window = np.hanning(n_fft + 1)[:-1].astype("float32")
    out = np.empty((extractor.mel_filters.shape[0], n_frames - 1), dtype=np.float32)
    for first in range(0, n_frames - 1, BLOCK_FRAMES):
        last = min(n_frames - 1, first + BLOCK_FRAMES)
        piece = _padded(audio, length, half, first * hop, (last - 1) * hop + n_fft)
        frames = np.lib.stride_tricks.sliding_window_view(piece, n_fft)[::hop] * window
        spectrum = np.fft.rfft(frames, n=n_fft, axis=-1).astype("complex64").T
        mel = extractor.mel_filters @ (np.abs(spectrum) ** 2)
        out[:, first:last] = np.log10(np.clip(mel, a_min=1e-10, a_max=None))
    np.maximum(out, out.max() - 8.0, out=out)
    out += 4.0
    out /= 4.0
    return out


def _padded(audio: np.ndarray, length: int, half: int, start: int, stop: int) -> np.ndarray:
    """Samples [start, stop) of: `half` reflected samples, the audio followed by zeros up to `length`,
    `half` reflected samples (numpy's "reflect" padding, as faster-whisper's stft does)."""
    index = np.arange(start, stop) - half
    index = np.where(index < 0, -index, index)
    index = np.where(index >= length, 2 * (length - 1) - index, index)
    values = np.zeros(index.size, dtype=np.float32)
    inside = index < audio.size
    values[inside] = audio[index[inside]]
    return values


def install(whisper: Any) -> None:
    """Make a loaded faster_whisper.WhisperModel compute its features in blocks."""
    extractor = whisper.feature_extractor
    original = type(extractor)

    class BlockFeatureExtractor(original):  # type: ignore[misc, valid-type]
        def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> np.ndarray:
            if chunk_length is not None:  # faster-whisper's own side effect, kept
                self.n_samples = chunk_length * self.sampling_rate
                self.nb_max_frames = self.n_samples // self.hop_length
            return log_mel(self, waveform, padding)

    extractor.__class__ = BlockFeatureExtractor
