"""The same answer gives the same report on any machine: every spoken fixture transcribed under each
CPU kernel CTranslate2 can pick (CT2_FORCE_CPU_ISA: GENERIC and AVX2, and AVX512 where the CPU has it),
each in its own process (the kernel is chosen when the library loads). What must hold on all of them,
never one kernel's exact decode: close to the script, no word in a pause, no invented closing, no
words squeezed into an instant, the pace within the band measured over the kernels.

Each kernel's transcripts are kept in pytest's cache under the fingerprint key plus the kernel's name.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mockinterview.analysis.spoken import spoken_words
from mockinterview.asr import Transcript
from mockinterview.asr.fingerprint import transcript_key
from mockinterview.asr.inventions import is_known_invention, squeezed_words
from mockinterview.asr.model import bundled_model_path
from mockinterview.audio.file import read_audio
from mockinterview.bank import BUILTIN_DIR, load_bank
from test_transcriber_fixtures import WER_LIMITS, _truth, _wer, _words

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
QUESTION = load_bank([BUILTIN_DIR]).get("anticipate-customer-need")
STEMS = [*WER_LIMITS, "silence"]
# WPM error against the script, measured over the three kernels here (bench/accuracy.py prints them):
# at most 2.0% but on the second voice (3.0%: "no money" for "nobody") and the noisy copy.
WPM_LIMIT = 0.035


def _cpu_has(flag: str) -> bool:
    try:
        return flag in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


KERNELS = [pytest.param(k, marks=pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                                     reason="x86 kernels only"))
           for k in ("GENERIC", "AVX2")] + \
          [pytest.param("AVX512", marks=pytest.mark.skipif(not _cpu_has("avx512f"), reason="this CPU has no AVX512"))]


@pytest.fixture(scope="module")
def transcripts_under(request):
    store = request.config.cache
    made: dict[str, dict[str, Transcript]] = {}

    def get(kernel: str) -> dict[str, Transcript]:
        if kernel in made:
            return made[kernel]
        paths = [FIXTURES / f"{stem}.flac" for stem in STEMS]
        keys = {p: "mockinterview/kernels/" + kernel + "/" + transcript_key(
            read_audio(p).samples, str(bundled_model_path()), f"kernel={kernel}|terms={QUESTION.terms}|seed=0")
            for p in paths}
        out = {p.stem: Transcript.from_dict(d) for p in paths if (d := store.get(keys[p], None)) is not None}
        todo = [str(p) for p in paths if p.stem not in out]
        if todo:
            env = dict(os.environ, CT2_FORCE_CPU_ISA=kernel)
            done = subprocess.run([sys.executable, str(ROOT / "tests" / "kernel_transcribe.py"), *todo], env=env,
                                  capture_output=True, text=True, check=True, cwd=ROOT, timeout=900)
            for path, data in json.loads(done.stdout).items():
                store.set(keys[Path(path)], data)
                out[Path(path).stem] = Transcript.from_dict(data)
        made[kernel] = out
        return out

    return get


@pytest.mark.parametrize("kernel", KERNELS)
def test_every_fixture_is_heard_alike_under_each_kernel(transcripts_under, kernel):
    transcripts = transcripts_under(kernel)
    for stem in STEMS:
        truth, transcript = _truth(stem), transcripts[stem]
        where = f"{kernel} {stem}"
        spans = [(s["start_s"] - 0.3, s["end_s"] + 0.3) for s in truth["sentences"]]
        for word in transcript.words:
            middle = (word.start_s + word.end_s) / 2
            assert any(a <= middle <= b for a, b in spans), f"{where}: {word.text!r} at {middle:.2f} s is in a pause"
        assert not squeezed_words(transcript.words), f"{where}: words squeezed into an instant"
        assert not any(is_known_invention(s.words) for s in transcript.segments), f"{where}: {transcript.text[-80:]}"
        if stem == "silence":
            assert transcript.words == ()
            continue
        wer = _wer(_words(truth["text"]), _words(transcript.text))
        assert wer < WER_LIMITS[stem], f"{where}: WER {wer:.3f}: {transcript.text}"


@pytest.mark.parametrize("kernel", KERNELS)
def test_the_pace_is_the_same_under_each_kernel(transcripts_under, kernel):
    from mockinterview.analysis.pacing import speech_onsets
    from mockinterview.analysis.score import score_answer

    for stem in WER_LIMITS:
        if stem.startswith("probe"):
            continue
        truth = _truth(stem)
        clip = read_audio(FIXTURES / f"{stem}.flac")
        report = score_answer(QUESTION, transcripts_under(kernel)[stem],
                              speech_onsets_s=speech_onsets(clip.samples, clip.sample_rate_hz))
        said = sum(spoken_words(w) for w in truth["text"].split())
        ref = said / (truth["sentences"][-1]["end_s"] - truth["sentences"][0]["start_s"]) * 60
        assert abs(report.wpm - ref) / ref <= WPM_LIMIT, f"{kernel} {stem}: {report.wpm:.1f} wpm against {ref:.1f}"
