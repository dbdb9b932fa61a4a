"""The live transcription's decisions (where to cut, what to guess), on frame levels built by hand:
no model, no audio, so each rule is checked on its own."""

from __future__ import annotations

import numpy as np

from mockinterview.asr.chunking import (
    LEAD_PAD_S,
    OpenUtterance,
    StreamingSettings,
    last_pause_cut,
    peek_target,
    plan_chunk,
    same_start,
    speculation_target,
)
from mockinterview.asr.speech import FRAME_S, FRAME_SAMPLES, frame_levels_db, speech_mask
from mockinterview.audio.clip import SAMPLE_RATE_HZ

QUIET_DB, SPEECH_DB = -60.0, -20.0
SETTINGS = StreamingSettings()


def levels(*spans: tuple[float, str]) -> list[float]:
    out: list[float] = []
    for seconds, kind in spans:
        out += [SPEECH_DB if kind == "speech" else QUIET_DB] * round(seconds / FRAME_S)
    return out


def samples(seconds: float) -> int:
    return round(seconds / FRAME_S) * FRAME_SAMPLES


def test_frame_levels_and_speech_mask_tell_speech_from_the_room():
    rng = np.random.default_rng(0)
    room = rng.normal(0, 0.001, SAMPLE_RATE_HZ)  # -60 dBFS hiss
    voice = 0.1 * np.sin(np.arange(SAMPLE_RATE_HZ) * 2 * np.pi * 200 / SAMPLE_RATE_HZ)
    lv = frame_levels_db(np.concatenate([room, voice, room]).astype(np.float32))
    assert len(lv) == 3 * SAMPLE_RATE_HZ // FRAME_SAMPLES
    mask = speech_mask(lv, 0, len(lv))
    third = len(lv) // 3
    assert not mask[:third].any() and mask[third : 2 * third].all() and not mask[2 * third :].any()
    assert not speech_mask(levels((5, "quiet")), 0, 250).any()  # steady room: nothing stands out


def test_a_pause_after_the_minimum_chunk_is_cut_in_its_middle():
    lv = levels((1, "quiet"), (11, "speech"), (0.5, "quiet"), (2, "speech"))
    plan = plan_chunk(lv, 0, samples(14.5), False, SETTINGS)
    first, end = plan.chunk
    assert first == samples(1 - LEAD_PAD_S)  # the onset keeps its lead-in
    pause_f, pause_len = 600, 25  # frames: the half-second pause after 12 s
    assert end == (pause_f + pause_len - pause_len // 2) * FRAME_SAMPLES  # cut in its middle
    assert plan.committed == 0 and plan.open is None


def test_silence_moves_the_commit_point_on_keeping_a_lead_in():
    lv = levels((1, "speech"), (0.5, "quiet"))  # some speech earlier, so the room floor is known
    plan = plan_chunk(lv + levels((5, "quiet")), samples(1.5), samples(6.5), False, SETTINGS)
    assert plan.chunk is None and plan.committed == samples(6.5 - LEAD_PAD_S)
    ended = plan_chunk(lv + levels((5, "quiet")), samples(1.5), samples(6.5), True, SETTINGS)
    assert ended.chunk is None and ended.committed == samples(6.5)  # at the end, silence is done with


def test_a_short_utterance_stays_open_until_it_grows_or_the_answer_ends():
    lv = levels((1, "quiet"), (3, "speech"), (0.5, "quiet"), (2, "speech"), (0.4, "quiet"))
    plan = plan_chunk(lv, 0, samples(6.9), False, SETTINGS)
    assert plan.chunk is None
    assert plan.open == OpenUtterance(samples(0.7), plan.open.cut, True)  # the speaker is in a pause now
    assert samples(6.5) < plan.open.cut <= samples(6.9)
    hushed = plan_chunk(lv[:-10], 0, samples(6.7), False, SETTINGS)  # 0.2 s of quiet: too short to cut in
    assert hushed.open[2:] == (False, samples(6.7)) and samples(4.0) < hushed.open.cut < samples(4.5)  # the real pause
    talking = plan_chunk(lv[:-15], 0, samples(6.6), False, SETTINGS)  # 0.1 s: a gap between words
    assert talking.open.quiet_to == 0
    ended = plan_chunk(lv, 0, samples(6.9), True, SETTINGS)
    assert ended.chunk == (samples(0.7), samples(6.9))  # the whole rest at the end


def test_a_stretch_with_no_pause_is_cut_by_word_times():
    lv = levels((1, "quiet"), *[(0.16, "speech"), (0.04, "quiet")] * 200)  # 40 ms between words: no gap to cut in
    first, end = plan_chunk(lv, 0, samples(41), False, SETTINGS).chunk
    assert first == samples(0.7) and end == -(samples(0.7) + samples(SETTINGS.max_chunk_s))  # negative: no gap
    lv = levels((1, "quiet"), *[(0.16, "speech"), (0.04, "quiet")] * 100, (0.1, "quiet"),
                *[(0.16, "speech"), (0.04, "quiet")] * 100)
    first, end = plan_chunk(lv, 0, samples(41.1), False, SETTINGS).chunk
    quiet_f, quiet_len = 1048, 7  # the longest quiet of the window: 0.14 s from 20.96 s
    assert end == (quiet_f + quiet_len // 2) * FRAME_SAMPLES  # cut in its middle


def test_last_pause_cut_and_same_start():
    speech = np.array([1] * 10 + [0] * 20 + [1] * 10 + [0] * 5, bool)
    assert last_pause_cut(speech, 15) == (20, False)  # the 20-frame pause; the last 5 quiet frames are too few
    cut, pausing = last_pause_cut(speech[:30], 15)
    assert pausing and cut == 10 + 20 // 2  # a pause still going on: cut at most MAX_CUT_WAIT_S/2 in
    assert same_start(0, int(LEAD_PAD_S * SAMPLE_RATE_HZ)) and not same_start(0, SAMPLE_RATE_HZ)


def test_speculation_guesses_then_tops_up_at_a_pause():
    s = SAMPLE_RATE_HZ
    talking = OpenUtterance(0, 6 * s, False)
    assert speculation_target(talking, None, None, 0, SETTINGS, 0.1) == ("guess", 0, 6 * s)
    assert speculation_target(talking, (0, 5 * s), None, 0, SETTINGS, 0.1) is None  # too little new audio
    pausing = OpenUtterance(0, 8 * s, True)
    assert speculation_target(pausing, (0, 6 * s), None, 0, SETTINGS, 0.1) == ("topup", 6 * s, 8 * s)
    assert speculation_target(pausing, (0, 3 * s), None, 0, SETTINGS, 0.1) == ("guess", 0, 8 * s)  # short guess: whole again
    assert speculation_target(pausing, (0, 6 * s), (6 * s, 8 * s), 0, SETTINGS, 0.1) is None  # topped up already
    # a quiet too short to cut in, after a long guess: an early top-up, kept only if the answer ends there
    hushed = OpenUtterance(0, 6 * s, False, 8 * s)
    assert speculation_target(hushed, (0, 6 * s), None, 0, SETTINGS, 0.1) == ("early", 6 * s, 8 * s)
    assert speculation_target(hushed, (0, 6 * s), (6 * s, 8 * s), 0, SETTINGS, 0.1) is None  # done already
    assert speculation_target(hushed, (0, 6 * s), None, 0, SETTINGS, 0.1, early=(6 * s, 8 * s)) is None
    assert speculation_target(pausing, (0, 6 * s), None, 0, SETTINGS, 0.1, early=(6 * s, 8 * s)) == ("topup", 6 * s, 8 * s)  # a real pause: as without it
    assert speculation_target(hushed._replace(cut=4 * s), (0, 3 * s), None, 0, SETTINGS, 0.1) is None  # a short guess waits for a pause
    assert speculation_target(talking, None, None, 0, SETTINGS, 1.0) is None  # a slow model would be late
    assert speculation_target(None, None, None, 0, SETTINGS, 0.1) is None


def test_a_peek_follows_the_speaker_every_peek_every_s():
    s = SAMPLE_RATE_HZ
    every = StreamingSettings(peek_every_s=1.0)
    assert peek_target(5 * s, 5 * s + s // 2, None, every, 0.1) is None  # too little said since the words end
    assert peek_target(5 * s, 7 * s, None, every, 0.1) == (5 * s, 7 * s)  # from where the words end to now
    assert peek_target(5 * s, 7 * s + s // 2, (5 * s, 7 * s), every, 0.1) is None  # the last peek stands
    assert peek_target(5 * s, 8 * s, (5 * s, 7 * s), every, 0.1) == (5 * s, 8 * s)
    assert peek_target(6 * s, 7 * s + s // 2, (5 * s, 7 * s), every, 0.1) == (6 * s, 7 * s + s // 2)  # new guess
    assert peek_target(0, 40 * s, None, every, 0.1) is None  # a slow decode would show stale words
    assert peek_target(5 * s, 8 * s, None, StreamingSettings(peek_every_s=None), 0.1) is None
