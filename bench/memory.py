"""Does memory stay flat as a recording gets longer? Peak RSS of scoring the strong answer repeated to
several lengths, as `score` does (read, transcribe whole-file, onsets, pitch, score), with Whisper's
features computed in blocks (asr/features.py, the default) and the whole array at once (faster-whisper's
own way), side by side. Prints; asserts nothing.

    .venv/bin/python bench/memory.py                  # 3, 6 and 12 minutes
    .venv/bin/python bench/memory.py --minutes 3 20

Each measurement runs in its own process, so its peak is its own. Last line:
`growth_mb_per_min blocks=X whole=Y` (RSS added per extra minute of audio, first to last length).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(path: str, whole_features: bool) -> None:
    from mockinterview.asr import Transcriber
    from mockinterview.asr.model import load_model
    from mockinterview.audio.file import read_audio
    from mockinterview.bank import BUILTIN_DIR, load_bank
    from mockinterview.commands.score import score_recording

    model = load_model()
    if whole_features:
        from faster_whisper.feature_extractor import FeatureExtractor

        model.whisper.feature_extractor.__class__ = FeatureExtractor
    question = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
    started = time.perf_counter()
    clip = read_audio(path)
    report = score_recording(question, clip, Transcriber(model), path)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rss_mb:.0f} {time.perf_counter() - started:.1f} {report.word_count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[3, 6, 12])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child[0], args.child[1] == "whole")
        return

    import numpy as np
    import soundfile

    from mockinterview.audio.file import read_audio

    answer = read_audio(ROOT / "audio_fixtures" / "strong_answer.flac").samples
    rows = []
    print(f"{'audio':>7s} {'blocks: peak RSS':>17s} {'score s':>8s} {'whole: peak RSS':>16s} {'score s':>8s}")
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            n = int(minutes * 60 * 16_000)
            path = Path(tmp) / f"answer-{minutes:g}min.wav"
            soundfile.write(path, np.resize(answer, n), 16_000)
            row = [minutes]
            for mode in ("blocks", "whole"):
                out = subprocess.run([sys.executable, __file__, "--child", str(path), mode], check=True,
                                     capture_output=True, text=True).stdout.split()
                row += [float(out[0]), float(out[1])]
            rows.append(row)
            print(f"{minutes:5g} min {row[1]:14.0f} MB {row[2]:8.1f} {row[3]:13.0f} MB {row[4]:8.1f}", flush=True)
    if len(rows) > 1:
        span = rows[-1][0] - rows[0][0]
        print(f"growth_mb_per_min blocks={(rows[-1][1] - rows[0][1]) / span:.1f} "
              f"whole={(rows[-1][3] - rows[0][3]) / span:.1f}")


if __name__ == "__main__":
    main()
