"""Which pitch tracker: swift-f0 (ONNX CNN) against librosa's pYIN and YIN, side by side in one run. Prints
figures; asserts nothing.

    .venv/bin/python bench/pitch.py            # synthetic tones, espeak-ng takes, the fixtures
    .venv/bin/python bench/pitch.py --quick    # fewer fixtures

librosa is not a dependency of the project: `pip install librosa` into .venv to see its columns (they are
skipped otherwise). Every tracker gets 16 kHz audio, a 65-500 Hz search band and 16 ms hops where it
allows them.

Measured:
- synthetic voice-like tones with a known f0 (a glottal-pulse-like harmonic series at 85, 120, 210 and
  320 Hz; a 100->250 Hz glide; the same with white noise at 10 dB SNR): gross pitch error (share of voiced
  frames more than 50 cents off), median cents error of the rest, voicing recall;
- espeak-ng takes of one paragraph, SSML pitch range x-low / default / x-high: the semitone spread (std
  re: the take's median) each tracker reports, which must order flat < default < wide;
- the fixtures: semitone spread, and the share of frames two trackers agree on within 50 cents;
- cost: seconds of tracking per second of audio, on this machine's 2 cores, plus import time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.pitch import semitones  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402

RATE = 16_000
HOP = 256
FMIN, FMAX = 65.0, 500.0
PARAGRAPH = ("I noticed that about point three percent of our outgoing webhook deliveries were failing. "
             "Nobody had asked me to look at it, so I pulled the logs myself and traced the cause to a retry bug. "
             "I wrote the fix, added an alert, and the failures dropped to zero within a week.")

Track = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # samples -> (times_s, f0_hz with nan = unvoiced)


def swift_tracker() -> Track:
    from swift_f0 import SwiftF0

    detector = SwiftF0(threads=2, spin=False)

    def track(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = detector.detect(x, RATE, fmin=FMIN, fmax=FMAX)
        return r.timestamps, np.where(r.confidence >= 0.5, r.pitch_hz, np.nan)

    return track


def librosa_tracker(kind: str) -> Track:
    import librosa

    def track(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if kind == "pyin":
            f0, voiced, _ = librosa.pyin(x, fmin=FMIN, fmax=FMAX, sr=RATE, frame_length=1024, hop_length=HOP)
            f0 = np.where(voiced, f0, np.nan)
        else:  # plain YIN has no voicing decision: gate it by frame energy 30 dB under the loudest
            f0 = librosa.yin(x, fmin=FMIN, fmax=FMAX, sr=RATE, frame_length=1024, hop_length=HOP)
            rms = librosa.feature.rms(y=x, frame_length=1024, hop_length=HOP)[0]
            f0 = np.where(20 * np.log10(rms + 1e-9) > 20 * np.log10(rms.max() + 1e-9) - 30, f0, np.nan)
        return np.arange(len(f0)) * HOP / RATE, f0

    return track


def trackers() -> dict[str, tuple[Track, float]]:
    out: dict[str, tuple[Track, float]] = {}
    t0 = time.perf_counter()
    out["swift-f0"] = (swift_tracker(), time.perf_counter() - t0)
    try:
        t0 = time.perf_counter()
        import librosa  # noqa: F401

        imported = time.perf_counter() - t0
        out["librosa.pyin"] = (librosa_tracker("pyin"), imported)
        out["librosa.yin"] = (librosa_tracker("yin"), imported)
    except ImportError:
        print("librosa not installed: its columns are skipped (pip install librosa)")
    return out


def tone(f0_hz: np.ndarray, snr_db: float | None, rng: np.random.Generator) -> np.ndarray:
    """A harmonic series with a 1/k^1.5 fall-off (voice-like), following f0 sample by sample."""
    phase = 2 * np.pi * np.cumsum(f0_hz) / RATE
    x = sum(np.sin(k * phase) / k**1.5 for k in range(1, 25) if k * f0_hz.max() < RATE / 2)
    x = 0.25 * x / np.abs(x).max()
    if snr_db is not None:
        noise = rng.standard_normal(x.size)
        x = x + noise * np.sqrt(np.mean(x**2) / 10 ** (snr_db / 10) / np.mean(noise**2))
    return x.astype(np.float32)


def synthetic_cases() -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    n = 2 * RATE
    cases = []
    for snr in (None, 10.0):
        tag = "" if snr is None else " +noise"
        for hz in (85.0, 120.0, 210.0, 320.0):
            f0 = np.full(n, hz)
            cases.append((f"{hz:.0f} Hz{tag}", tone(f0, snr, rng), f0))
        glide = np.geomspace(100.0, 250.0, n)
        cases.append((f"glide 100-250{tag}", tone(glide, snr, rng), glide))
        wobble = 180.0 * 2 ** (2 * np.sin(2 * np.pi * 1.5 * np.arange(n) / RATE) / 12)  # +-2 st at 1.5 Hz
        cases.append((f"intonation 180+-2st{tag}", tone(wobble, snr, rng), wobble))
    for snr in (0.0,):  # as loud as the noise: where trackers part ways
        for hz in (110.0, 220.0):
            f0 = np.full(n, hz)
            cases.append((f"{hz:.0f} Hz +noise 0 dB", tone(f0, snr, rng), f0))
    return cases


def accuracy(track: Track, x: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    times, f0 = track(x)
    idx = np.clip((times * RATE).astype(int), 0, truth.size - 1)
    keep = (times > 0.05) & (times < truth.size / RATE - 0.05)  # edges: half a window of silence
    ref, est = truth[idx][keep], f0[keep]
    voiced = ~np.isnan(est)
    cents = np.abs(1200 * np.log2(est[voiced] / ref[voiced]))
    gross = float(np.mean(cents > 50)) if cents.size else 1.0
    fine = float(np.median(cents[cents <= 50])) if np.any(cents <= 50) else float("nan")
    return gross, fine, float(np.mean(voiced))


def spread_st(f0: np.ndarray, fold: bool = True) -> float:
    """The std in semitones re: the median; `fold`: octave slips folded back, as the app does."""
    v = f0[~np.isnan(f0)]
    if v.size <= 10:
        return float("nan")
    return float(np.std(semitones(v, float(np.median(v))) if fold else 12 * np.log2(v / np.median(v))))


def espeak_takes(tmp: Path) -> list[tuple[str, np.ndarray]]:
    if not shutil.which("espeak-ng"):
        print("espeak-ng not found: the espeak rows are skipped")
        return []
    out = []
    for voice in ("en-us", "en-us+f3"):
        for rng in ("x-low", "medium", "x-high"):
            wav = tmp / f"{voice}-{rng}.wav"
            ssml = f'<speak><prosody range="{rng}">{PARAGRAPH}</prosody></speak>'
            subprocess.run(["espeak-ng", "-v", voice, "-m", "-w", str(wav), ssml], check=True)
            out.append((f"{voice} range {rng}", read_audio(wav).samples))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="two fixtures only")
    args = ap.parse_args()
    print("load average at start:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    tracks = trackers()
    names = list(tracks)
    print("import + set-up:", "  ".join(f"{n} {tracks[n][1]:.2f} s" for n in names))

    print("\nsynthetic tones: gross error (>50 cents) / median cents of the rest / voiced share")
    print(f"{'case':22s}" + "".join(f"{n:>26s}" for n in names))
    totals = {n: [] for n in names}
    for label, x, truth in synthetic_cases():
        row = []
        for n in names:
            g, c, v = accuracy(tracks[n][0], x, truth)
            totals[n].append(g)
            row.append(f"{g:7.1%} {c:6.1f} c {v:6.1%}")
        print(f"{label:22s}" + "".join(f"{r:>26s}" for r in row))
    print(f"{'mean gross error':22s}" + "".join(f"{np.mean(totals[n]):>26.1%}" for n in names))

    with tempfile.TemporaryDirectory() as tmp:
        takes = espeak_takes(Path(tmp))
    if takes:
        print("\nespeak-ng takes: semitone spread (std re: median) per tracker, octave slips folded / raw")
        print(f"{'take':26s}" + "".join(f"{n:>20s}" for n in names))
        for label, x in takes:
            f0s = [tracks[n][0](x)[1] for n in names]
            print(f"{label:26s}" + "".join(f"{spread_st(f):>9.2f} / {spread_st(f, False):5.2f} st" for f in f0s))

    fixtures = sorted((ROOT / "audio_fixtures").glob("*.flac"))
    fixtures = [f for f in fixtures if f.stem != "silence"]
    if args.quick:
        fixtures = [f for f in fixtures if f.stem in ("second_voice_answer", "skip_reflection")]
    print("\nfixtures: semitone spread per tracker; cost = tracking s per audio s; agreement with swift-f0")
    cost = {n: [0.0, 0.0] for n in names}
    for f in fixtures:
        x = read_audio(f).samples
        results = {}
        for n in names:
            t0 = time.perf_counter()
            results[n] = tracks[n][0](x)[1]
            cost[n][0] += time.perf_counter() - t0
            cost[n][1] += x.size / RATE
        ref = results["swift-f0"]
        cells = []
        for n in names:
            est = results[n][: ref.size]
            both = ~np.isnan(ref[: est.size]) & ~np.isnan(est)
            agree = np.mean(np.abs(1200 * np.log2(est[both] / ref[: est.size][both])) <= 50) if both.any() else 0
            cells.append(f"{spread_st(results[n]):5.2f} st {agree:4.0%}")
        print(f"{f.stem:26s}" + "".join(f"{c:>16s}" for c in cells))
    print("load average at end:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    print("\ncost (share of the audio's duration):", "  ".join(f"{n} {c[0] / c[1]:.2%}" for n, c in cost.items()))


if __name__ == "__main__":
    main()
