"""Speed and accuracy figures of the bundled Whisper model on this machine (prints, asserts nothing).

    .venv/bin/python bench/transcribe_speed.py            # everything (a few minutes on 2 cores)
    .venv/bin/python bench/transcribe_speed.py --quick    # skip the domain-term comparison

Figures: model load time; real-time factor (seconds of compute per second of audio) at beam 1
and beam 5 with word times; peak RSS; how many fillers survive with and without the disfluency
prompt; and how often a question's technical terms come out right with no help, with the terms
in the prompt, and with faster-whisper's `hotwords`.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mockinterview.asr import Transcriber, load_model  # noqa: E402
from mockinterview.asr.transcriber import FILLER_PROMPT  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402

FIXTURES = ROOT / "audio_fixtures"
SINGLE_WORD_FILLERS = ("um", "uh", "er")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def speed_clip() -> Path:
    if (FIXTURES / "strong_answer.flac").exists():
        return FIXTURES / "strong_answer.flac"
    return max(FIXTURES.glob("*.flac"), key=lambda p: read_audio(p).duration_s)


def count_phrase(text: str, phrase: str) -> int:
    return len(re.findall(r"(?<![a-z])" + re.escape(phrase.lower()) + r"(?![a-z])", text.lower()))


def fillers(transcriber: Transcriber) -> None:
    audio = FIXTURES / "filler_answer.flac"
    if not audio.exists():
        print("fillers: audio_fixtures/filler_answer.flac missing, skipped")
        return
    said = json.loads(audio.with_name("filler_answer.truth.json").read_text())["fillers"]
    clip = read_audio(audio)
    runs = {
        "with prompt": transcriber.transcribe(clip, filler_prompt=True).text,
        "no prompt": transcriber.transcribe(clip, filler_prompt=False).text,
    }
    print(f'\nfiller survival on {audio.name} (prompt: "{FILLER_PROMPT}")')
    print(f"  {'filler':<10} {'said':>4} " + " ".join(f"{k:>11}" for k in runs))
    totals = {k: 0 for k in runs}
    for filler, n in said.items():
        got = {k: count_phrase(text, filler) for k, text in runs.items()}
        for k in runs:
            totals[k] += min(got[k], n)
        print(f"  {filler:<10} {n:>4} " + " ".join(f"{got[k]:>11}" for k in runs))
    print(f"  {'kept':<10} {sum(said.values()):>4} " + " ".join(f"{totals[k]:>11}" for k in runs))
    hesitations = sum(said.get(f, 0) for f in SINGLE_WORD_FILLERS)
    for k, text in runs.items():
        heard = sum(count_phrase(text, f) for f in SINGLE_WORD_FILLERS)
        print(f"  um/uh/er {k}: {heard} heard of {hesitations} said")


def terms(transcriber: Transcriber) -> None:
    from mockinterview.bank import load_bank

    bank = load_bank()
    truths = sorted(FIXTURES.glob("*.truth.json"))
    print("\ndomain terms (hits = term said and written; invented = written but not said)")
    whisper = transcriber.model.whisper
    results = {"no terms": [0, 0, 0, 0.0], "terms in prompt": [0, 0, 0, 0.0], "hotwords": [0, 0, 0, 0.0]}
    for truth_path in truths:
        truth = json.loads(truth_path.read_text())
        question = next((q for q in bank.questions if q.id == truth.get("question_id")), None)
        if question is None or not question.terms or not truth.get("text"):
            continue
        clip = read_audio(FIXTURES / truth["audio"])
        for mode, tally in results.items():
            started = time.perf_counter()
            if mode == "hotwords":
                segments, _ = whisper.transcribe(
                    clip.samples, language="en", beam_size=5, word_timestamps=True,
                    initial_prompt=FILLER_PROMPT, vad_filter=True, hotwords=" ".join(question.terms),
                )
                text = " ".join(s.text for s in segments)
            else:
                text = transcriber.transcribe(clip, terms=question.terms if mode == "terms in prompt" else ()).text
            tally[3] += time.perf_counter() - started
            for term in question.terms:
                said, heard = count_phrase(truth["text"], term), count_phrase(text, term)
                tally[0] += min(said, heard)
                tally[1] += max(0, said - heard)
                tally[2] += max(0, heard - said)
        print(f"  {truth_path.name.removesuffix('.truth.json')}: done")
    for mode, (hit, missed, invented, seconds) in results.items():
        print(f"  {mode:<16} hits {hit:>3}  missed {missed:>3}  invented {invented:>3}  ({seconds:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="skip the domain-term comparison")
    args = parser.parse_args()

    started = time.perf_counter()
    model = load_model(None)
    print(f"model {model.name} from {model.source}")
    print(f"load time            {time.perf_counter() - started:6.2f} s (first load in this process, imports included)")
    transcriber = Transcriber(model)

    audio = speed_clip()
    clip = read_audio(audio)
    print(f"speed clip           {audio.name}, {clip.duration_s:.1f} s")
    for beam in (1, 5):
        started = time.perf_counter()
        transcript = transcriber.transcribe(clip, beam_size=beam)
        elapsed = time.perf_counter() - started
        print(
            f"beam {beam}               {elapsed:6.2f} s  RTF {elapsed / clip.duration_s:.3f}"
            f"  ({len(transcript.words)} words, word timestamps, VAD, filler prompt)"
        )
    print(f"peak RSS             {peak_rss_mb():6.0f} MB")

    fillers(transcriber)
    if not args.quick:
        terms(transcriber)
    print(f"\npeak RSS at the end  {peak_rss_mb():6.0f} MB")


if __name__ == "__main__":
    main()
