"""Held-out takes for the delivery analysis: espeak-ng voices the fixtures never use, built sentence by
sentence so every sentence's time is known, and sox-made copies (quieter, fading ends)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from mockinterview.audio.clip import SAMPLE_RATE_HZ
from mockinterview.audio.file import read_audio

SENTENCES = (
    "Last spring our mobile checkout started timing out for about one in fifty customers in Brazil.",
    "Nobody had assigned it to me, but the graphs on my team's dashboard showed the spike every evening.",
    "I set myself the goal of finding the cause within one week, without waiting for the next sprint.",
    "First I compared the slow requests with the fast ones and saw that every slow one went through one proxy.",
    "Then I reproduced the timeout on a test phone by throttling the network to the same speed.",
    "I wrote a patch that reused connections instead of opening a new one for every request.",
    "I asked the proxy owners to review it, and we rolled it out to five percent of traffic first.",
    "Timeouts in Brazil dropped from two percent to a tenth of a percent within three days.",
    "Conversion there rose by four percent, which was worth about half a million dollars a year.",
    "What I learned is to read the dashboards of my own service every day, not only when paged.",
)
PAUSE_S = 0.5


def synthesize(out: Path, voice: str, *, pitch: int = 50, rate: int = 160, pitch_range: str | None = None) -> tuple[Path, list[tuple[float, float]]]:
    """One take, 16 kHz WAV, and each sentence's (start_s, end_s)."""
    parts, spans, t = [np.zeros(int(PAUSE_S * SAMPLE_RATE_HZ), dtype=np.float32)], [], PAUSE_S
    for i, text in enumerate(SENTENCES):
        wav = out.with_name(f"{out.stem}-{i}.wav")
        said = f'<speak><prosody range="{pitch_range}">{text}</prosody></speak>' if pitch_range else text
        subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(rate), *(["-m"] if pitch_range else []),
                        "-w", str(wav), said], check=True)
        x = read_audio(wav).samples
        wav.unlink()
        keep = np.flatnonzero(np.abs(x) > 1e-3)
        x = x[keep[0] : keep[-1] + 1] * (0.25 / np.abs(x).max())  # peak -12 dBFS, as the fixtures
        spans.append((round(t, 3), round(t + x.size / SAMPLE_RATE_HZ, 3)))
        t += x.size / SAMPLE_RATE_HZ + PAUSE_S
        parts += [x.astype(np.float32), np.zeros(int(PAUSE_S * SAMPLE_RATE_HZ), dtype=np.float32)]
    _write(out, np.concatenate(parts))
    return out, spans


def gain(src: Path, out: Path, db: float) -> Path:
    subprocess.run(["sox", str(src), str(out), "gain", f"{db:g}"], check=True)
    return out


def fade_ends(src: Path, out: Path, spans: list[tuple[float, float]], *, tail_s: float = 0.8, db: float = -18.0) -> Path:
    """Each sentence's last `tail_s` ramps down to `db`: a voice trailing off."""
    x = read_audio(src).samples.copy()
    for _, end_s in spans:
        b = int(end_s * SAMPLE_RATE_HZ)
        a = max(0, b - int(tail_s * SAMPLE_RATE_HZ))
        x[a:b] *= 10 ** (np.linspace(0.0, db, b - a) / 20)
    _write(out, x)
    return out


def _write(path: Path, samples: np.ndarray) -> None:
    import soundfile

    soundfile.write(str(path), samples, SAMPLE_RATE_HZ, subtype="PCM_16")
