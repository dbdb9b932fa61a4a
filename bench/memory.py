"""Does memory stay flat as a recording gets longer? Peak RSS of scoring the strong answer repeated to
several lengths, as `score` does (the file read block by block, transcribed a window at a time, pitch and
onsets fed the same blocks: commands/score.score_recording) and the whole-file way (read whole, decoded
whole, pitch and onsets over the whole array), side by side. Prints; asserts nothing.

    .venv/bin/python bench/memory.py                  # 3, 12 and 20 minutes
    .venv/bin/python bench/memory.py --minutes 3 20

Each measurement runs in its own process, so its peak is its own. Last line:
`growth_mb_per_min streamed=X streamed-default-malloc=Y whole=Z` (RSS added per extra minute of audio, first
to last length).
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


MODES = {
    "streamed": "read in blocks, a window at a time, with the allocator set (allocator.py): `score` now",
    "streamed-default-malloc": "the same, with glibc's default mmap threshold",
    "whole": "read whole, decoded whole, pitch and onsets over the whole array: `score` before",
}


def measure(path: str, mode: str) -> None:
    from mockinterview.allocator import map_large_buffers
    from mockinterview.asr import Transcriber
    from mockinterview.asr.model import load_model
    from mockinterview.audio.file import open_audio, read_audio
    from mockinterview.bank import BUILTIN_DIR, load_bank
    from mockinterview.commands.score import score_recording

    if mode == "streamed":
        map_large_buffers()
    model = load_model()
    question = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
    started = time.perf_counter()
    if mode == "whole":
        from mockinterview.analysis.pacing import speech_onsets
        from mockinterview.analysis.pitch import track_pitch
        from mockinterview.analysis.prosody import attach_prosody
        from mockinterview.analysis.score import score_answer

        clip = read_audio(path)
        transcript = Transcriber(model).transcribe(clip, terms=question.terms)
        report = attach_prosody(score_answer(question, transcript, speech_onsets_s=speech_onsets(clip.samples, 16_000)),
                                track_pitch(clip.samples))
    else:
        report = score_recording(question, open_audio(path), Transcriber(model))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rss_mb:.0f} {time.perf_counter() - started:.1f} {report.word_count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, nargs="+", default=[3, 12, 20])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(*args.child)
        return

    import numpy as np
    import soundfile

    from mockinterview.audio.file import read_audio

    answer = read_audio(ROOT / "audio_fixtures" / "strong_answer.flac").samples
    rows = []
    for mode, what in MODES.items():
        print(f"# {mode}: {what}")
    print(f"{'audio':>7s}" + "".join(f" {m + ': peak MB':>32s} {'s':>6s}" for m in MODES))
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            n = int(minutes * 60 * 16_000)
            path = Path(tmp) / f"answer-{minutes:g}min.wav"
            soundfile.write(path, np.resize(answer, n), 16_000)
            row = [minutes]
            for mode in MODES:
                out = subprocess.run([sys.executable, __file__, "--child", str(path), mode], check=True,
                                     capture_output=True, text=True).stdout.split()
                row += [float(out[0]), float(out[1])]
            rows.append(row)
            print(f"{minutes:5g} min" + "".join(f" {row[1 + 2 * i]:32.0f} {row[2 + 2 * i]:6.1f}"
                                               for i in range(len(MODES))), flush=True)
    if len(rows) > 1:
        span = rows[-1][0] - rows[0][0]
        print("growth_mb_per_min " + " ".join(f"{m}={(rows[-1][1 + 2 * i] - rows[0][1 + 2 * i]) / span:.1f}"
                                              for i, m in enumerate(MODES)))


if __name__ == "__main__":
    main()
