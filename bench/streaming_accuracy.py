"""Does streaming transcription give the same report as whole-file transcription? Prints; asserts nothing.

    .venv/bin/python bench/streaming_accuracy.py [--runs 3] [--feed paced|fast] [--only strong_answer] [--set key=value ...]

For every answer fixture (probes skipped) the audio is transcribed twice in one run, whole-file
(`Transcriber.transcribe`) and streamed (`Transcriber.stream`, backlog fallback off), both scored
exactly as the command does, and compared. The stream is fed in 0.1 s blocks, and by default the
session settles after each block (`--feed paced`): the recording is replayed as if in real time with a
model that is never late, so guesses, top-ups and chunks are those of a live answer, the same every
run. `--feed fast` hands over the audio as fast as the session takes it (the worker then sees most of
it at once, and which pieces are guesses depends on thread timing).

Whisper's fallback sampling makes a single transcription a draw: each fixture, in each mode, gets a
freshly loaded model seeded with the run's number, so run k is reproducible and the runs are
independent draws; the summary pools all runs. Figures:
- phrase precision / recall against the truth, for each, and the difference (goal <= 0.02);
- section boundaries: mean |streaming - whole-file| over every start and end (goal <= 0.5 s), and the
  error of each against the truth;
- words: agreement with whole-file (matched words / mean length, difflib) and the word error rate of
  each against the truth text, so a difference in wording can be told from a difference in quality.
`--set` passes StreamingSettings fields (e.g. --set min_chunk_s=18 --set context_words=40).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.pacing import speech_onsets  # noqa: E402
from mockinterview.analysis.score import score_answer  # noqa: E402
from mockinterview.asr import Transcriber, Transcript  # noqa: E402
from mockinterview.asr.model import load_model  # noqa: E402
from mockinterview.asr.streaming import StreamingSettings  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402

BLOCK = 1600


def norm_words(text: str) -> list[str]:
    return [w for w in re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split() if w]


def agreement(a: list[str], b: list[str]) -> float:
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return 2 * sum(m.size for m in sm.get_matching_blocks()) / max(1, len(a) + len(b))


def wer(ref: list[str], hyp: list[str]) -> float:
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[-1] / max(1, len(ref))


def stream(transcriber: Transcriber, samples, terms, settings: dict, paced: bool = False) -> tuple[Transcript, object]:
    session = transcriber.stream(terms=terms, **{"max_backlog_s": float("inf"), **settings})
    for i in range(0, samples.size, BLOCK):
        session.feed(samples[i : i + BLOCK])
        if paced:
            session.settle()
    return session.finish(), session


def phrase_pr(report, truth) -> tuple[int, int, int]:
    credited = {p for s in report.sections for p in s.phrases_hit}
    said, not_said = set(truth["phrases_said"]), set(truth["phrases_not_said"])
    return len(credited & said), len(credited & not_said), len(said - credited)


def p_r(counts) -> tuple[float, float]:
    a, b, c = counts
    return (a / (a + b) if a + b else 1.0), (a / (a + c) if a + c else 1.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT / "audio_fixtures")
    ap.add_argument("--only", action="append", default=[], help="fixture stem(s) to run")
    ap.add_argument("--runs", type=int, default=3, help="independent draws of Whisper's fallback (seeds 0..N-1)")
    ap.add_argument("--feed", choices=("paced", "fast"), default="paced")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a StreamingSettings field")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    fields = StreamingSettings.__dataclass_fields__
    settings = {}
    for item in args.set:
        key, value = item.split("=", 1)
        settings[key] = type(getattr(StreamingSettings(), key))(float(value)) if key in fields else value
    print(f"streaming settings: {StreamingSettings(**settings)}; feed {args.feed}; runs {args.runs}")
    bank = load_bank([BUILTIN_DIR])
    fixtures = []
    for truth_path in sorted(args.fixtures.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        stem = truth_path.name[: -len(".truth.json")]
        if "probe_index" in truth or truth["word_count"] == 0 or (args.only and stem not in args.only):
            continue
        clip = read_audio(truth_path.with_name(truth["audio"]))
        fixtures.append((stem, truth, bank.get(truth["question_id"]), clip,
                         speech_onsets(clip.samples, clip.sample_rate_hz)))
    totals = {"whole": [0, 0, 0], "stream": [0, 0, 0]}
    per_run: list[dict[str, tuple[float, float]]] = []
    bound_diffs: list[float] = []
    agreements: list[float] = []
    wers = {"whole": [], "stream": []}
    print(f"{'run fixture':22} {'P whole':>7} {'P strm':>7} {'R whole':>7} {'R strm':>7} {'bnd diff':>8} "
          f"{'agree':>6} {'WER w':>6} {'WER s':>6} {'chunks':>6}")
    for run in range(args.runs):
        run_totals = {"whole": [0, 0, 0], "stream": [0, 0, 0]}
        for stem, truth, question, clip, onsets in fixtures:
            whole = Transcriber(load_model(None, seed=run)).transcribe(clip, terms=question.terms)
            streamed, session = stream(Transcriber(load_model(None, seed=run)), clip.samples, question.terms,
                                       settings, paced=args.feed == "paced")
            reports = {k: score_answer(question, t, speech_onsets_s=onsets) for k, t in (("whole", whole), ("stream", streamed))}
            pr = {}
            for k, r in reports.items():
                counts = phrase_pr(r, truth)
                totals[k] = [x + y for x, y in zip(totals[k], counts)]
                run_totals[k] = [x + y for x, y in zip(run_totals[k], counts)]
                pr[k] = p_r(counts)
            diffs = []
            for sw, ss in zip(reports["whole"].sections, reports["stream"].sections):
                for x, y in ((sw.start_s, ss.start_s), (sw.end_s, ss.end_s)):
                    if x is None and y is None:
                        continue
                    diffs.append(abs(x - y) if x is not None and y is not None else float("inf"))
            bound_diffs += diffs
            ref = norm_words(truth["text"])
            ww, ws = norm_words(" ".join(w.text for w in whole.words)), norm_words(" ".join(w.text for w in streamed.words))
            agreements.append(agreement(ww, ws))
            wers["whole"].append(wer(ref, ww))
            wers["stream"].append(wer(ref, ws))
            mean_diff = sum(diffs) / len(diffs) if diffs else 0.0
            print(f"{run:<3} {stem:18} {pr['whole'][0]:7.2f} {pr['stream'][0]:7.2f} {pr['whole'][1]:7.2f} "
                  f"{pr['stream'][1]:7.2f} {mean_diff:8.2f} {agreements[-1]:6.3f} {wers['whole'][-1]:6.3f} "
                  f"{wers['stream'][-1]:6.3f} {session.chunks:6d}", flush=True)
            if args.verbose:
                said = set(truth["phrases_said"])
                for k, r in reports.items():
                    missed = sorted(said - {p for sec in r.sections for p in sec.phrases_hit})
                    if missed:
                        print(f"    {k} missed: {', '.join(missed)}")
                print("    decodes: " + ", ".join(f"{k} {a:.1f}-{b:.1f}" for k, a, b, *_ in session.timeline))
                for sw, ss in zip(reports["whole"].sections, reports["stream"].sections):
                    print(f"    {sw.name:10} whole {sw.start_s}-{sw.end_s}  stream {ss.start_s}-{ss.end_s}")
                sm = difflib.SequenceMatcher(a=ww, b=ws, autojunk=False)
                for op, a0, a1, b0, b1 in sm.get_opcodes():
                    if op != "equal":
                        print(f"    {op}: {' '.join(ww[a0:a1])!r} -> {' '.join(ws[b0:b1])!r}")
        per_run.append({k: p_r(v) for k, v in run_totals.items()})

    (pw, rw), (ps, rs) = p_r(totals["whole"]), p_r(totals["stream"])
    finite = [d for d in bound_diffs if d != float("inf")]
    print()
    for run, figures in enumerate(per_run):
        (rpw, rrw), (rps, rrs) = figures["whole"], figures["stream"]
        print(f"run {run}: precision whole {rpw:.3f} streaming {rps:.3f}; recall whole {rrw:.3f} streaming {rrs:.3f} "
              f"(diff {rrs - rrw:+.3f})")
    print(f"over {args.runs} run(s), {len(fixtures)} fixtures each:")
    print(f"phrase precision   whole {pw:.3f}  streaming {ps:.3f}  diff {abs(pw - ps):.3f}   goal <= 0.02")
    print(f"phrase recall      whole {rw:.3f}  streaming {rs:.3f}  diff {abs(rw - rs):.3f}   goal <= 0.02")
    print(f"section boundaries streaming vs whole-file: {sum(finite) / max(1, len(finite)):.2f} s mean, "
          f"{max(finite, default=0):.2f} s worst, {len(bound_diffs) - len(finite)} present in only one   goal <= 0.5 s")
    print(f"word agreement     {sum(agreements) / max(1, len(agreements)):.3f} mean, {min(agreements, default=1):.3f} worst")
    print(f"WER vs truth       whole {sum(wers['whole']) / max(1, len(wers['whole'])):.3f}  "
          f"streaming {sum(wers['stream']) / max(1, len(wers['stream'])):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
