"""How accurate is `mockinterview score` on the spoken fixtures? Prints figures; asserts nothing.

    .venv/bin/python bench/accuracy.py [--fixtures audio_fixtures] [--cache-dir DIR] [--model M]

Each fixture with a *.truth.json is transcribed once with the bundled model (cached in --cache-dir when
given), scored exactly as the command does (same transcriber options, speech onsets from the audio), and
compared with its truth:
- phrase precision / recall: phrases credited (anywhere, misplaced included) vs the truth's said / not said;
- section boundaries: mean absolute error of every present section's start and end (s), plus sections
  invented or lost;
- WPM relative error: report.wpm vs the script's words as spoken ("$8,000" = 3, analysis/spoken.py) over
  the truth's speech span (first sentence start to last sentence end), the same definition the report uses;
- fillers: recall and precision of counts per filler kind ("like" as a verb is not a filler);
- pronouns, red flags, "result has numbers", probe key phrase and weak markers: agreement counts;
- spoken paraphrases (fixtures with `phrases_meant`): meant phrases credited, and credits neither meant nor
  ambiguous; these fixtures stay out of the literal precision/recall;
- time per answer: transcription and scoring (meaning credits included) separately, and the embedding
  model's load.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mockinterview.analysis.credit import embeddings, matcher, meaning  # noqa: E402
from mockinterview.analysis.credit.parser import load_parser  # noqa: E402
from mockinterview.analysis.pacing import speech_onsets  # noqa: E402
from mockinterview.analysis.probes import score_probe  # noqa: E402
from mockinterview.analysis.score import score_answer  # noqa: E402
from mockinterview.analysis.spoken import spoken_words  # noqa: E402
from mockinterview.asr import TranscribeOptions, Transcriber, Transcript  # noqa: E402
from mockinterview.asr.fingerprint import transcript_key  # noqa: E402
from mockinterview.asr.model import bundled_model_path, load_model  # noqa: E402
from mockinterview.audio.file import read_audio  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.errors import NoSpeechError  # noqa: E402


def spoken_truth_words(truth: dict) -> int:
    """Words said in the script, counted as the report counts them (numbers as said: "$8,000" = 3)."""
    return sum(spoken_words(w) for w in truth["text"].replace("{", "").replace("}", "").split())


def transcribe_cached(transcriber: Transcriber | None, audio_path: Path, terms, cache: Path | None, make,
                      model: str | None = None) -> tuple[Transcript, float]:
    key = None
    if cache:  # keyed by everything that changes a transcript, not by the file's mtime
        model_dir = str(bundled_model_path()) if model is None else str(Path(model).resolve())
        inputs = f"{TranscribeOptions(terms=tuple(terms))!r}|model={model}|seed=0"
        key = cache / f"{audio_path.stem}.{transcript_key(read_audio(audio_path).samples, model_dir, inputs)}.json"
    if key and key.exists():
        return Transcript.from_dict(json.loads(key.read_text())), float("nan")
    t0 = time.perf_counter()
    transcript = make().transcribe(audio_path, terms=terms)
    took = time.perf_counter() - t0
    if key:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(json.dumps(transcript.to_dict()))
    return transcript, took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT / "audio_fixtures")
    ap.add_argument("--cache-dir", type=Path, default=None, help="keep transcripts here between runs")
    ap.add_argument("--model", default=None)
    ap.add_argument("--threshold", type=float, default=None, help="phrase threshold to try (default: matcher.THRESHOLD)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss and false hit")
    args = ap.parse_args()

    if args.threshold is not None:
        matcher.THRESHOLD = args.threshold
    print(f"phrase threshold {matcher.THRESHOLD}, meaning threshold {meaning.THRESHOLD} "
          f"(neighbouring section {meaning.NEIGHBOUR_THRESHOLD}), model {embeddings.DEFAULT_MODEL}")
    t0 = time.perf_counter()
    embeddings.load_embedder()
    embed_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_parser()  # loaded before the answers, as the embedder is: the scoring times are the scoring's
    parser_load_s = time.perf_counter() - t0
    bank = load_bank([BUILTIN_DIR])

    def make() -> Transcriber:
        # a fresh seeded model per fixture, as the tests use: each transcript is the same whatever ran before
        return Transcriber(load_model(args.model, seed=0))

    tp = fp = fn = 0
    m_meant = m_got = m_false = 0
    bound_err: list[float] = []
    invented = lost = 0
    wpm_err: list[float] = []
    time_err: list[float] = []
    f_tp = f_pred = f_true = 0
    agree = {"pronouns": [0, 0], "red_flags": [0, 0], "result_has_numbers": [0, 0], "probe": [0, 0], "silence": [0, 0]}
    t_asr: list[float] = []
    t_score: list[float] = []
    print(f"{'fixture':22} {'P':>5} {'R':>5} {'bnd s':>6} {'wpm':>6} {'ref':>6} {'fill':>9} {'asr s':>6} {'score s':>7}")
    for truth_path in sorted(args.fixtures.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        audio_path = truth_path.with_name(truth["audio"])
        question = bank.get(truth["question_id"])
        transcript, took = transcribe_cached(None, audio_path, question.terms, args.cache_dir, make, args.model)
        if took == took:
            t_asr.append(took)
        clip = read_audio(audio_path)
        meaning._VECTORS.clear()  # scored as a fresh process would: no clause embedded before
        t0 = time.perf_counter()
        if "probe_index" in truth:
            finding = score_probe(question.probes[truth["probe_index"]], transcript)
            t_score.append(time.perf_counter() - t0)
            ok = finding.key_phrase_said == truth["key_phrase_said"] and sorted(m.phrase for m in finding.markers) == sorted(truth["weak_markers_said"])
            agree["probe"][0] += ok
            agree["probe"][1] += 1
            print(f"{truth_path.stem[:-6]:22} probe: key said {finding.key_phrase_said} (truth {truth['key_phrase_said']}), "
                  f"markers {[m.phrase for m in finding.markers]} (truth {truth['weak_markers_said']})")
            continue
        try:
            onsets = speech_onsets(clip.samples, clip.sample_rate_hz)
            report = score_answer(question, transcript, speech_onsets_s=onsets)
        except NoSpeechError:
            t_score.append(time.perf_counter() - t0)
            agree["silence"][0] += truth["word_count"] == 0
            agree["silence"][1] += 1
            print(f"{truth_path.stem[:-6]:22} no speech heard (truth: {truth['word_count']} words)")
            continue
        t_score.append(time.perf_counter() - t0)
        if truth["word_count"] == 0:
            agree["silence"][1] += 1
            print(f"{truth_path.stem[:-6]:22} heard {report.word_count} words in silence: {' '.join(w.text for w in report.words)[:60]}")
            continue
        credited = {p for s in report.sections for p in s.phrases_hit}
        if "phrases_meant" in truth:  # said in other words: judged on meaning, apart from the literal figures
            meant, unsure = set(truth["phrases_meant"]), set(truth["phrases_ambiguous"])
            m_meant, m_got, m_false = m_meant + len(meant), m_got + len(credited & meant), m_false + len(credited - meant - unsure)
            how = ", ".join(f"{h.phrase}={h.method}" for s in report.sections for h in s.hits)
            print(f"{truth_path.stem[:-6]:22} meaning: {len(credited & meant)} of {len(meant)} meant credited, "
                  f"{len(credited - meant - unsure)} false; wpm {report.wpm:.1f} ({how})")
        said, not_said = set(truth["phrases_said"]), set(truth["phrases_not_said"])
        if "phrases_meant" in truth:
            said, not_said = set(), set()
        a, b, c = len(credited & said), len(credited & not_said), len(said - credited)
        tp, fp, fn = tp + a, fp + b, fn + c
        errs = []
        for ts in truth.get("sections", []):
            ps = report.section(ts["name"])
            if ps is None or ps.start_s is None:
                lost += 1
                continue
            errs += [abs(ps.start_s - ts["start_s"]), abs(ps.end_s - ts["end_s"])]
        truth_names = {ts["name"] for ts in truth.get("sections", [])}
        invented += sum(1 for s in report.sections if s.start_s is not None and s.name not in truth_names)
        bound_err += errs
        sents = truth["sentences"]
        ref = spoken_truth_words(truth) / (sents[-1]["end_s"] - sents[0]["start_s"]) * 60
        wpm_err.append(abs(report.wpm - ref) / ref)
        # the same figure with the script's word count: what the speaking time alone gets wrong
        time_err.append(abs(spoken_truth_words(truth) * 60 / (report.word_count * 60 / report.wpm) - ref) / ref)
        pred_f, true_f = report.fillers, {k.lower(): v for k, v in truth["fillers"].items()}
        pred_f = {k.lower(): v for k, v in pred_f.items()}
        f_tp += sum(min(pred_f.get(k, 0), v) for k, v in true_f.items())
        f_pred += sum(pred_f.values())
        f_true += sum(true_f.values())
        agree["pronouns"][0] += report.pronouns == truth["pronouns"]
        agree["pronouns"][1] += 1
        agree["red_flags"][0] += sorted({r.phrase for r in report.red_flags}) == sorted(truth["red_flags"])
        agree["red_flags"][1] += 1
        if truth["result_has_numbers"] is not None:
            agree["result_has_numbers"][0] += report.result_has_numbers == truth["result_has_numbers"]
            agree["result_has_numbers"][1] += 1
        prec = a / (a + b) if a + b else 1.0
        rec = a / (a + c) if a + c else 1.0
        mae = sum(errs) / len(errs) if errs else float("nan")
        fill = f"{sum(pred_f.values())}/{sum(true_f.values())}"
        print(f"{truth_path.stem[:-6]:22} {prec:5.2f} {rec:5.2f} {mae:6.2f} {report.wpm:6.1f} {ref:6.1f} {fill:>9} "
              f"{took:6.2f} {t_score[-1]:7.3f}")
        if args.verbose:
            for p in sorted(credited & not_said):
                print(f"    false hit: {p!r}")
            for p in sorted(said - credited):
                print(f"    missed:    {p!r}")
            for ts in truth.get("sections", []):
                ps = report.section(ts["name"])
                print(f"    {ts['name']:10} truth {ts['start_s']:7.2f}-{ts['end_s']:7.2f}  got {ps.start_s}-{ps.end_s} {ps.verdict}")
            if report.fillers or truth["fillers"]:
                print(f"    fillers got {report.fillers} truth {truth['fillers']}")
            if report.pronouns != truth["pronouns"] or sorted({r.phrase for r in report.red_flags}) != sorted(truth["red_flags"]):
                print(f"    pronouns {report.pronouns} truth {truth['pronouns']}; red flags {[r.phrase for r in report.red_flags]} truth {truth['red_flags']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print()
    print(f"phrase precision      {precision:.3f}  ({tp} right, {fp} credited but not said)   target >= 0.97")
    print(f"phrase recall         {recall:.3f}  ({fn} said but missed)                     target >= 0.92")
    print(f"spoken paraphrases    {m_got} of {m_meant} meant phrases credited, {m_false} credited but not meant")
    print(f"boundary error        {sum(bound_err) / max(1, len(bound_err)):.2f} s mean absolute, {max(bound_err, default=0):.2f} s worst "
          f"({len(bound_err)} boundaries; {invented} sections invented, {lost} lost)   target <= 1.0 s")
    print(f"WPM error             {100 * sum(wpm_err) / max(1, len(wpm_err)):.1f}% mean, {100 * max(wpm_err, default=0):.1f}% worst, "
          f"{sum(e <= 0.02 for e in wpm_err)} of {len(wpm_err)} within 2%   target <= 2%")
    print(f"  of it, speaking time {100 * sum(time_err) / max(1, len(time_err)):.1f}% mean, {100 * max(time_err, default=0):.1f}% worst "
          "(the script's words over the measured time; the rest is words misheard)")
    print(f"filler recall         {f_tp / f_true if f_true else 1:.3f}  ({f_tp} of {f_true})   target >= 0.9")
    print(f"filler precision      {f_tp / f_pred if f_pred else 1:.3f}  ({f_tp} of {f_pred} reported)   target >= 0.9")
    for k, (ok, n) in agree.items():
        if n:
            print(f"{k:21} {ok} of {n} fixtures agree with the truth")
    if t_asr:
        print(f"transcription         {sum(t_asr) / len(t_asr):.2f} s per answer (mean of {len(t_asr)})")
    print(f"embedding model load  {embed_load_s:.2f} s (first, with imports)")
    print(f"parser load           {parser_load_s:.2f} s (first, with imports)")
    print(f"scoring               {1000 * sum(t_score) / max(1, len(t_score)):.0f} ms per answer (mean of {len(t_score)}), worst {1000 * max(t_score, default=0):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
