"""Which speech model should be the default? Word error rate on every spoken fixture, decode speed and
memory, for each model named, side by side. Prints; asserts nothing.

    .venv/bin/python bench/models.py                      # the bundled tiny.en only
    .venv/bin/python bench/models.py --model /path/to/ct2-whisper-dir [--model ...]

Each model runs in its own process (so its peak RSS is its own): every fixture with a truth text is
transcribed whole-file with its question's terms, as `score` does, and its words compared with the
script (bench/streaming_accuracy.py's normalisation and WER). Also printed: what each model hears in the
strong answer's Result (137-150 s: "went from 0.3% to zero. Finance estimated roughly $8,000 recovered
weekly"), the figures `make demo` reports. Last line per model:
`model NAME pooled_wer=X rtf=Y load_s=Z rss_mb=W`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RESULT_S = (137.0, 150.0)


def measure(model_name: str | None) -> None:
    from streaming_accuracy import norm_words, wer

    from mockinterview.asr import Transcriber
    from mockinterview.asr.model import load_model
    from mockinterview.audio.file import read_audio
    from mockinterview.bank import BUILTIN_DIR, load_bank

    bank = load_bank([BUILTIN_DIR])
    model = load_model(model_name)
    transcriber = Transcriber(model)
    errors = words = 0.0
    decode_s = audio_s = 0.0
    print(f"{'fixture':22s} {'WER':>6s}")
    for truth_path in sorted((ROOT / "audio_fixtures").glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        if not truth.get("text"):
            continue
        clip = read_audio(truth_path.with_name(truth["audio"]))
        terms = bank.get(truth["question_id"]).terms if truth.get("question_id") in bank.ids else ()
        started = time.perf_counter()
        transcript = transcriber.transcribe(clip, terms=terms)
        decode_s += time.perf_counter() - started
        audio_s += clip.duration_s
        ref, hyp = norm_words(truth["text"]), norm_words(" ".join(w.text for w in transcript.words))
        rate = wer(ref, hyp)
        errors += rate * len(ref)
        words += len(ref)
        print(f"{truth_path.name.removesuffix('.truth.json'):22s} {rate:6.3f}")
        if truth_path.name.startswith("strong_answer"):
            heard = " ".join(w.text for w in transcript.words if RESULT_S[0] <= w.start_s <= RESULT_S[1])
            print(f"    Result heard: {heard}")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {model.name} pooled_wer={errors / words:.3f} rtf={decode_s / audio_s:.3f} "
          f"load_s={model.load_s:.2f} rss_mb={rss_mb:.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", default=[], help="a model directory or name (repeatable)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process: measure this model only
    args = parser.parse_args()
    if args.one is not None:
        measure(args.one or None)
        return
    summaries = []
    for name in [""] + args.model:
        print(f"== {name or 'bundled tiny.en'}", flush=True)
        done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        print(done.stdout, end="")
        if done.returncode != 0:
            print(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
            continue
        summaries.append(done.stdout.strip().splitlines()[-1])
    print("\n".join(summaries))


if __name__ == "__main__":
    main()
