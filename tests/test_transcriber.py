"""The transcriber on real speech (espeak-ng and the audio fixtures) with the bundled tiny.en model."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mockinterview.asr import Transcriber, load_model, preload
from mockinterview.asr.transcriber import FILLER_PROMPT, TranscribeOptions
from mockinterview.audio.clip import SAMPLE_RATE_HZ, AudioClip
from mockinterview.audio.file import read_audio
from mockinterview.errors import AudioError, ModelError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "audio_fixtures"
SENTENCE = "I pulled the delivery logs and traced the failures to a race condition in the retry code."
FILLERS = "So, um, I noticed the failure rate was high. Uh, nobody had asked me to look. Um, I decided to act."


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def _espeak(path: Path, text: str, voice: str = "en-us", speed_wpm: int = 160) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed_wpm), "-w", str(path), text], check=True)
    return path


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    return _espeak(tmp_path_factory.mktemp("asr") / "speech.wav", SENTENCE)


@pytest.fixture(scope="module")
def speech_transcript(transcript_of, speech):
    return transcript_of(speech)


def _mi(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mockinterview", *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout,
    )


# --- whole clips --------------------------------------------------------------------------------


def test_speech_gives_its_words(speech_transcript):
    heard = _content(speech_transcript.text)
    assert len(_content(SENTENCE) & heard) >= 0.8 * len(_content(SENTENCE)), speech_transcript.text
    assert speech_transcript.model == "tiny.en"


def test_word_times_are_monotonic_and_inside_the_audio(speech_transcript, speech):
    duration_s = read_audio(speech).duration_s
    assert speech_transcript.duration_s == pytest.approx(duration_s)
    words = speech_transcript.words
    assert len(words) >= 10
    for w in words:
        assert 0.0 <= w.start_s <= w.end_s <= duration_s
        assert 0.0 <= w.probability <= 1.0
        assert w.text and w.text == w.text.strip()
    starts = [w.start_s for w in words]
    assert starts == sorted(starts)
    # the words of each segment, in order, are the transcript's words
    assert tuple(w for s in speech_transcript.segments for w in s.words) == words
    for s in speech_transcript.segments:
        assert s.start_s <= s.words[0].start_s and s.words[-1].end_s <= s.end_s + 0.5


def test_speech_after_a_long_pause_keeps_its_real_time(transcript_of, speech):
    clip = read_audio(speech)
    pause_s = 4.0
    delayed = AudioClip(np.concatenate([np.zeros(int(pause_s * SAMPLE_RATE_HZ), np.float32), clip.samples]))
    shifted = transcript_of(delayed)
    # the first word after a pause may start up to VAD's 0.4 s padding early; its end is exact
    assert shifted.words[0].start_s >= pause_s - 0.5
    assert shifted.words[0].end_s > pause_s
    assert len(_content(SENTENCE) & _content(shifted.text)) >= 0.8 * len(_content(SENTENCE)), shifted.text


@pytest.mark.parametrize("name", ["probe_strong", "probe_weak", "skip_reflection"])
def test_stopping_at_the_end_of_speech_keeps_every_word_said(transcript_of, name):
    """speech_end_s ends decoding once the words reach it (no extra window over the trailing quiet):
    every word the full decode puts before the end of speech is still there, in the same order."""
    clip = read_audio(FIXTURES / f"{name}.flac")
    end_s = json.loads((FIXTURES / f"{name}.truth.json").read_text())["sentences"][-1]["end_s"]
    clip = AudioClip(np.concatenate([clip.samples, np.zeros(2 * SAMPLE_RATE_HZ, np.float32)]))  # a long quiet tail
    full = transcript_of(clip)
    stopped = transcript_of(clip, speech_end_s=end_s)
    said = [w.text for w in full.words if w.start_s < end_s]
    assert [w.text for w in stopped.words] == said
    assert stopped.words[-1].end_s >= end_s - 1.0


def test_transcript_round_trips_through_dict(speech_transcript):
    from mockinterview.asr import Transcript

    data = json.loads(json.dumps(speech_transcript.to_dict()))
    assert Transcript.from_dict(data) == speech_transcript


# --- no speech ----------------------------------------------------------------------------------


def test_digital_silence_gives_no_words(transcript_of):
    transcript = transcript_of(AudioClip(np.zeros(10 * SAMPLE_RATE_HZ, np.float32)))
    assert transcript.words == () and transcript.segments == ()
    assert transcript.duration_s == pytest.approx(10.0)


def test_silence_fixture_gives_no_words(transcript_of):
    assert transcript_of(FIXTURES / "silence.flac").words == ()


@pytest.mark.parametrize("level", [0.001, 0.01, 0.03])
def test_low_noise_gives_no_words(transcript_of, level):
    noise = np.random.default_rng(7).standard_normal(10 * SAMPLE_RATE_HZ).astype(np.float32) * level
    transcript = transcript_of(AudioClip(noise))
    assert transcript.words == (), transcript.text


def test_empty_input_gives_an_empty_transcript(transcript_of):
    transcript = transcript_of(AudioClip(np.zeros(0, np.float32)))
    assert transcript.words == () and transcript.duration_s == 0.0


# --- fillers and terms --------------------------------------------------------------------------


def _count(words, filler: str) -> int:
    return sum(1 for w in words if re.sub(r"[^a-z]", "", w.text.lower()) == filler)


def test_filler_prompt_keeps_um(transcript_of, tmp_path):
    clip = _espeak(tmp_path / "fillers.wav", FILLERS)
    kept = transcript_of(clip)
    assert _count(kept.words, "um") >= 1, kept.text
    assert _count(kept.words, "uh") >= 1, kept.text
    assert not any(FILLER_PROMPT.lower() in s.text.lower() for s in kept.segments)  # the prompt is not echoed


def test_filler_prompt_keeps_more_fillers_on_the_fixture(transcript_of):
    truth = json.loads((FIXTURES / "filler_answer.truth.json").read_text())
    said = truth["fillers"]["um"] + truth["fillers"]["uh"]
    with_prompt = transcript_of(FIXTURES / "filler_answer.flac")
    without = transcript_of(FIXTURES / "filler_answer.flac", filler_prompt=False)
    kept = _count(with_prompt.words, "um") + _count(with_prompt.words, "uh")
    dropped = _count(without.words, "um") + _count(without.words, "uh")
    assert kept >= dropped
    assert kept >= said - 1, with_prompt.text  # at most one of the six lost with the prompt


def test_terms_in_the_prompt_spell_a_domain_term(transcript_of, tmp_path):
    clip = _espeak(tmp_path / "dlq.wav", "I added a dead letter queue alert to catch future failures proactively.", speed_wpm=150)
    with_terms = transcript_of(clip, ["webhook", "SLO", "dead letter queue", "race condition"])
    assert "dead letter queue" in with_terms.text.lower(), with_terms.text


def test_terms_are_not_invented_when_not_said(transcript_of, tmp_path):
    terms = ["webhook", "SLO", "dead letter queue", "race condition", "retry logic", "Platform team"]
    clip = _espeak(tmp_path / "plain.wav", "My manager asked me to lead the migration, and I planned it in three phases.")
    text = transcript_of(clip, terms).text.lower()
    assert not [t for t in terms if t.lower() in text], text


def test_prompt_is_short():
    options = TranscribeOptions(terms=tuple(f"term{i}" for i in range(30)))
    assert options.prompt().count(",") <= 3 + 8
    assert TranscribeOptions(filler_prompt=False).prompt() is None


# --- the model ----------------------------------------------------------------------------------


def test_model_loads_once(whisper):
    first = load_model(None)
    assert load_model() is first
    assert load_model("tiny.en") is first
    assert whisper.model is first
    assert preload().result(timeout=60) is first
    assert Transcriber(preload()).model is first


def test_model_directory_is_accepted(whisper):
    assert load_model(whisper.model.source) is whisper.model


def test_a_seeded_model_repeats_whisper_s_fallback_draws():
    """Whisper samples when a greedy decode looks wrong. second_voice_answer with its question's terms
    gets there: one model transcribing it three times in a row gave three different texts. Two fresh
    models with the same seed draw the same samples, so they give the same transcript (and a fresh
    process, which seeds every model it loads, gives the same report of the same recording)."""
    from mockinterview.bank import BUILTIN_DIR, load_bank

    truth = json.loads((FIXTURES / "second_voice_answer.truth.json").read_text())
    terms = load_bank([BUILTIN_DIR]).get(truth["question_id"]).terms
    clip = read_audio(FIXTURES / "second_voice_answer.flac")
    first, second = (Transcriber(load_model(None, seed=11)).transcribe(clip, terms=terms) for _ in range(2))
    assert first.words == second.words
    assert load_model(None, seed=11) is not load_model(None, seed=11)  # seeded models are never shared


def test_unknown_model_name(tmp_path):
    with pytest.raises(ModelError, match='unknown model "no-such-model"'):
        load_model("no-such-model")
    with pytest.raises(ModelError, match="not a model directory"):
        load_model(str(tmp_path / "missing"))
    with pytest.raises(ModelError, match="no model.bin"):
        load_model(str(tmp_path))


def test_named_model_offline_fails_with_one_sentence():
    # no network here: the hub is unreachable (HF_HUB_OFFLINE also forces the offline path elsewhere)
    result = _mi("transcribe", str(FIXTURES / "silence.flac"), "--model", "base.en", env={"HF_HUB_OFFLINE": "1"}, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        'mockinterview transcribe: cannot fetch model "base.en" (no network?); '
        "the bundled default is tiny.en: omit --model to use it"
    ), result.stderr
    assert "Traceback" not in result.stderr


# --- incremental --------------------------------------------------------------------------------


def test_session_in_chunks_equals_whole_file(transcript_of):
    from conftest_asr import SEED
    from mockinterview.asr import Transcriber, load_model

    path = FIXTURES / "probe_strong.flac"
    whole = transcript_of(path)
    samples = read_audio(path).samples
    session = Transcriber(load_model(None, seed=SEED)).session()
    chunk = SAMPLE_RATE_HZ // 2
    seen_midway, fed_s = None, 0.0
    for start in range(0, samples.size, chunk):
        session.feed(samples[start : start + chunk])
        if seen_midway is None and start >= samples.size // 2:
            seen_midway, fed_s = session.words_so_far(), session.duration_s
    final = session.finish()
    assert [w.text for w in final.words] == [w.text for w in whole.words]
    assert final.duration_s == pytest.approx(whole.duration_s)
    assert seen_midway and 0 < len(seen_midway) < len(final.words)
    assert max(w.end_s for w in seen_midway) <= fed_s
    with pytest.raises(AudioError):
        session.feed(samples[:10])


def test_session_with_nothing_fed_is_empty(whisper):
    session = whisper.session()
    assert session.words_so_far() == ()
    assert session.finish().words == ()


# --- the command --------------------------------------------------------------------------------


def test_cli_text_output(speech):
    result = _mi("transcribe", str(speech), "--beam-size", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    word_lines = [line for line in lines if re.match(r"^\s+\[\s*\d+\.\d\d-\s*\d+\.\d\d\] \S", line)]
    assert len(word_lines) >= 10
    heard = " ".join(line.split("] ", 1)[1] for line in word_lines)
    assert len(_content(SENTENCE) & _content(heard)) >= 0.8 * len(_content(SENTENCE)), result.stdout


def test_cli_json_output(speech):
    result = _mi("transcribe", str(speech), "--format", "json", "--no-filler-prompt")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"] == "tiny.en" and data["duration_s"] > 3
    assert data["words"] and {"text", "start_s", "end_s", "probability"} <= set(data["words"][0])
    assert data["segments"][0]["words"][0] == data["words"][0]


def test_cli_missing_file(tmp_path):
    result = _mi("transcribe", str(tmp_path / "nope.wav"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"mockinterview transcribe: {tmp_path / 'nope.wav'}: no such file"
    assert result.stdout == ""


def test_cli_silence_says_no_speech():
    result = _mi("transcribe", str(FIXTURES / "silence.flac"))
    assert result.returncode == 0, result.stderr
    assert "(no speech)" in result.stdout and "0 words" in result.stdout


def test_progress_is_reported_per_segment_and_ends_at_the_duration(whisper):
    clip = read_audio(FIXTURES / "skip_reflection.flac")
    seen: list[float] = []
    transcript = whisper.transcribe(clip, on_progress=seen.append)
    assert len(seen) >= 3  # one call per decoded segment, then the end
    assert seen == sorted(seen) and seen[-1] == pytest.approx(clip.duration_s)
    assert 0 < seen[0] < seen[-1] and transcript.words
