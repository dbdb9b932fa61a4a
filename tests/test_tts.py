"""The TTS module on the real espeak-ng engine: every call yields audio, rates and voices take effect."""

from __future__ import annotations

import numpy as np
import pytest

from mockinterview.audio import tts
from mockinterview.errors import MockInterviewError, SpeechSynthesisError

pytestmark = pytest.mark.slow

SENTENCE = "I traced the root cause to a race condition in the retry logic of the Platform team."  # 17 words
WORDS = len(SENTENCE.split())


def speech_s(clip, threshold=0.01) -> float:
    """Seconds from the first to the last sample above the threshold (the engine pads both ends)."""
    loud = np.flatnonzero(np.abs(clip.samples) > threshold)
    return (loud[-1] - loud[0]) / clip.sample_rate_hz if len(loud) else 0.0


def test_two_syntheses_in_one_process_are_both_complete():
    first = tts.synthesize(SENTENCE, voice="en-us", rate_wpm=150)
    second = tts.synthesize(SENTENCE, voice="en-us", rate_wpm=150)
    for clip in (first, second):
        assert clip.sample_rate_hz == 16_000
        assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
        assert float(np.sqrt(np.mean(clip.samples**2))) > 0.01
        expected_s = WORDS * 60 / 150
        # espeak-ng's "words" are shorter than a sentence of real ones, so it runs a little fast
        assert 0.55 * expected_s < speech_s(clip) < 1.1 * expected_s
    assert len(first.samples) == len(second.samples)  # same input and settings: same audio length


def test_a_faster_rate_gives_shorter_audio():
    slow = tts.synthesize(SENTENCE, rate_wpm=120)
    fast = tts.synthesize(SENTENCE, rate_wpm=240)
    assert speech_s(slow) / speech_s(fast) > 1.6


def test_a_voice_variant_changes_the_sound():
    plain = tts.synthesize("Hello there.", voice="en-us", rate_wpm=150)
    female = tts.synthesize("Hello there.", voice="en-us+f3", rate_wpm=150)
    n = min(len(plain.samples), len(female.samples))
    assert not np.allclose(plain.samples[:n], female.samples[:n], atol=1e-3)


def test_list_voices_has_english_voices():
    voices = tts.list_voices()
    ids = {v.id for v in voices}
    assert "gmw/en-us" in ids
    assert any("en-gb" in v.languages for v in voices)
    assert tts.resolve_voice("en-us") == tts.resolve_voice("gmw/en-us") == "gmw/en-us"
    assert tts.resolve_voice("English (America)+f3") == "gmw/en-us+f3"


def test_unknown_voice_lists_the_available_ones():
    with pytest.raises(SpeechSynthesisError, match=r"unknown voice 'no-such-voice'.*en-us") as info:
        tts.synthesize("Hello.", voice="no-such-voice")
    assert "\n" not in str(info.value)
    assert isinstance(info.value, MockInterviewError)


def test_unknown_variant_is_refused_not_ignored():
    with pytest.raises(SpeechSynthesisError, match="variant 'nosuchvariant'"):
        tts.synthesize("Hello.", voice="en-us+nosuchvariant")


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_text_is_an_error(text):
    with pytest.raises(SpeechSynthesisError, match="empty"):
        tts.synthesize(text)


def test_rate_out_of_range_is_an_error():
    with pytest.raises(SpeechSynthesisError, match="rate 20 wpm"):
        tts.synthesize("Hello.", rate_wpm=20)
