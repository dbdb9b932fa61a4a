"""Delivery measures from the timed words: words per minute, fillers, long pauses, "I" vs "we",
and speech onsets computed from the audio itself (Whisper starts the first word after a pause too early).
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ..asr.transcript import Word
from .report_data import FillerEvent, PauseEvent
from .spoken import spoken_words
from .text import GluedWord, Token, glue_words

# Comfortable interview pace: 125-150 WPM is typical US speech (Lucas, The Art of Public Speaking),
# 130-160 is recommended for presentations.
COMFORT_WPM = (130.0, 160.0)
SUSTAINED_WPM = (110.0, 190.0)  # a stretch is "too slow"/"too fast" only outside this band
LONG_PAUSE_S = 2.0

SINGLE_FILLERS = {"um": "um", "umm": "um", "uhm": "um", "erm": "um", "uh": "uh", "uhh": "uh", "er": "er",
                  "ah": "ah", "ahh": "ah", "hmm": "hmm", "hm": "hmm", "mm": "hmm", "mmm": "hmm",
                  "basically": "basically", "actually": "actually"}
PAIR_FILLERS = {("you", "know"): "you know", ("i", "mean"): "I mean", ("kind", "of"): "kind of",
                ("sort", "of"): "sort of"}
_DETERMINERS = frozenset("what this that a the some any which every same one different other these those no".split())
_LIKE_VERB_BEFORE = frozenset(
    "i you we they he she would wed id youd theyd to dont didnt doesnt really also not would".split())
_LIKE_PREP_BEFORE = frozenset(
    "look looks looked looking sound sounds sounded feel feels felt seem seems seemed something anything "
    "nothing just more much exactly things stuff tools tool systems services".split())
_YOU_KNOW_NOT_BEFORE = frozenset("do did if as dont didnt what whether".split())
_YOU_KNOW_NOT_AFTER = frozenset("what how that who why where when if whether the a an it".split())
FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "i'll"})
FIRST_PLURAL = frozenset({"we", "we're", "we've", "we'd", "we'll"})


def find_fillers(tokens: Sequence[Token]) -> list[FillerEvent]:
    """Fillers in order; "like" only when it is a filler, not a verb ("I like") or preposition ("looks like")."""
    out: list[FillerEvent] = []
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        prev = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == t.sentence else None
        nxt = tokens[i + 1] if i + 1 < n and tokens[i + 1].sentence == t.sentence else None
        if nxt is not None and (t.norm, nxt.norm) in PAIR_FILLERS and _pair_is_filler(t, prev, nxt, tokens, i):
            out.append(FillerEvent(PAIR_FILLERS[(t.norm, nxt.norm)], t.start_s, nxt.end_s))
            i += 2
            continue
        if t.norm in SINGLE_FILLERS:
            out.append(FillerEvent(SINGLE_FILLERS[t.norm], t.start_s, t.end_s))
        elif t.norm == "like" and like_is_filler(t, prev, nxt, bool(out) and out[-1].end_s == (prev.end_s if prev else -1)):
            out.append(FillerEvent("like", t.start_s, t.end_s))
        i += 1
    return out


def like_is_filler(t: Token, prev: Token | None, nxt: Token | None, after_filler: bool = False) -> bool:
    if prev is not None and (prev.norm in _LIKE_VERB_BEFORE or prev.norm in _LIKE_PREP_BEFORE):
        return False
    if prev is None or t.comma_before or t.comma_after or (prev and prev.comma_after) or after_filler:
        return True
    return nxt is not None and nxt.norm[:1].isdigit()  # "like 30 seconds": a hedge


def _pair_is_filler(t: Token, prev: Token | None, nxt: Token, tokens: Sequence[Token], i: int) -> bool:
    after = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 2].sentence == t.sentence else None
    pair = (t.norm, nxt.norm)
    if pair in (("kind", "of"), ("sort", "of")):
        return prev is None or prev.norm not in _DETERMINERS
    if pair == ("you", "know"):
        if prev is not None and prev.norm in _YOU_KNOW_NOT_BEFORE:
            return False
        return nxt.comma_after or after is None or after.norm not in _YOU_KNOW_NOT_AFTER
    if pair == ("i", "mean"):
        return nxt.comma_after or after is None or after.norm not in ("to", "that", "it")
    return True


def count_fillers(events: Sequence[FillerEvent]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in events:
        counts[e.filler] = counts.get(e.filler, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def find_pauses(glued: Sequence[GluedWord], min_s: float = LONG_PAUSE_S) -> list[PauseEvent]:
    return [PauseEvent(round(a.end_s, 2), round(b.start_s, 2), round(b.start_s - a.end_s, 2))
            for a, b in zip(glued, glued[1:]) if b.start_s - a.end_s > min_s]


def _bare(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower().replace("\u2019", "'"))


def count_pronouns(glued: Sequence[GluedWord]) -> dict[str, int]:
    bare = [_bare(g.text) for g in glued]
    return {"i": sum(b in FIRST_PERSON for b in bare), "we": sum(b in FIRST_PLURAL for b in bare)}


def sentences(glued: Sequence[GluedWord]) -> list[list[int]]:
    """Glued-word indexes grouped into sentences by Whisper's end punctuation."""
    out: list[list[int]] = [[]]
    for i, g in enumerate(glued):
        out[-1].append(i)
        if re.search(r"[.?!]$", g.text) and not re.search(r"\d\.$", g.text[-2:]):
            out.append([])
    return [s for s in out if s]


def we_sentences(glued: Sequence[GluedWord]) -> list[str]:
    return [" ".join(glued[i].text for i in s) for s in sentences(glued) if any(_bare(glued[i].text) in FIRST_PLURAL for i in s)]


def is_word(g: GluedWord) -> bool:
    return bool(re.search(r"[A-Za-z0-9]", g.text))


def word_count(glued: Sequence[GluedWord]) -> int:
    """Words spoken: numbers and amounts as said ("$8,000" = 3), fillers included (spoken.py)."""
    return sum(spoken_words(g.text) for g in glued)


def speaking_time_s(glued: Sequence[GluedWord], start_s: float, end_s: float) -> float:
    """From start_s to end_s less the part of every pause beyond LONG_PAUSE_S: a long silence is
    reported as a pause, and does not slow the pace figure."""
    inside = [g for g in glued if g.start_s >= start_s - 1e-6 and g.end_s <= end_s + 1e-6]
    silent = sum(max(0.0, b.start_s - a.end_s - LONG_PAUSE_S) for a, b in zip(inside, inside[1:]))
    return end_s - start_s - silent


def words_per_minute(glued: Sequence[GluedWord], start_s: float | None = None, end_s: float | None = None) -> float:
    """Words spoken (word_count) per minute of speaking time, from the first word's start to the last
    word's end (or the given stretch), long pauses excepted (speaking_time_s)."""
    words = [g for g in glued if is_word(g) and (start_s is None or g.start_s >= start_s - 1e-6) and (end_s is None or g.start_s < end_s)]
    if not words:
        return 0.0
    a = words[0].start_s if start_s is None else start_s
    b = words[-1].end_s
    if end_s is not None:
        b = min(end_s, b) if b > a else end_s
    span = speaking_time_s(words, a, b)
    return round(word_count(words) * 60.0 / span, 1) if span > 0.5 else 0.0


RECENT_WPM_WINDOW_S = 15.0  # the live pace cue judges this much of the latest speech...
MIN_RECENT_SPEECH_S = 6.0  # ...once at least this much of it was heard: a cue on one clause would nag


def recent_wpm(words: Sequence[Word], window_s: float = RECENT_WPM_WINDOW_S) -> float | None:
    """Words per minute over the last `window_s` of the words heard so far (live, from the streaming
    transcript), counted as words_per_minute counts them; None until MIN_RECENT_SPEECH_S was heard."""
    if not words:
        return None
    since_s = words[-1].end_s - window_s
    glued = [g for g in glue_words([w for w in words if w.start_s >= since_s]) if is_word(g)]
    if not glued or glued[-1].end_s - glued[0].start_s < MIN_RECENT_SPEECH_S:
        return None
    return words_per_minute(glued)


def pace_advice(wpm: float) -> str:
    """What to do about a pace: "" when it is comfortable."""
    label = pace_label(wpm)
    if label in ("too fast", "a little fast"):
        return f"Slow down: aim for {COMFORT_WPM[0]:.0f}-{COMFORT_WPM[1]:.0f} words a minute; pause between steps."
    if label in ("too slow", "a little slow"):
        return f"Pick up the pace: aim for {COMFORT_WPM[0]:.0f}-{COMFORT_WPM[1]:.0f} words a minute."
    return ""


def pace_label(wpm: float) -> str:
    if wpm <= 0:
        return ""
    if wpm < SUSTAINED_WPM[0]:
        return "too slow"
    if wpm > SUSTAINED_WPM[1]:
        return "too fast"
    if COMFORT_WPM[0] <= wpm <= COMFORT_WPM[1]:
        return "comfortable"
    return "a little slow" if wpm < COMFORT_WPM[0] else "a little fast"


ONSET_BLOCK_FRAMES = 3000  # frames whose energy is computed at a time


def speech_onsets(samples: np.ndarray, sample_rate_hz: int, *, frame_s: float = 0.02, min_gap_s: float = 0.25) -> tuple[float, ...]:
    """Times where speech starts after at least min_gap_s of quiet, from frame energy (`OnsetFinder`
    fed the whole recording at once)."""
    finder = OnsetFinder(sample_rate_hz, frame_s=frame_s)
    finder.feed(samples)
    return finder.onsets(min_gap_s=min_gap_s)


class OnsetFinder:
    """`speech_onsets` of a recording fed a block at a time (a long file is read in blocks): it keeps only
    the frame levels, 50 numbers a second.

    The threshold sits between the noise floor (10th percentile) and the loud speech (95th percentile)
    on a log scale, so it adapts to a noisy room as well as a clean file."""

    def __init__(self, sample_rate_hz: int, *, frame_s: float = 0.02) -> None:
        self.frame_s = frame_s
        self._hop = max(1, int(frame_s * sample_rate_hz))
        self._rest = np.zeros(0, np.float32)  # the partial frame at the end of the last block
        self._levels_db: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        x = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self._rest.size:
            x = np.concatenate([self._rest, x])
        hop = self._hop
        n = len(x) // hop
        block = ONSET_BLOCK_FRAMES  # a long block needs no squared copy of itself
        for a in range(0, n, block):
            frames = x[a * hop : min(n, a + block) * hop].reshape(-1, hop)
            self._levels_db.append(10 * np.log10(np.mean(frames**2, axis=1) + 1e-10))
        self._rest = x[n * hop :].copy()

    def onsets(self, *, min_gap_s: float = 0.25) -> tuple[float, ...]:
        db = np.concatenate(self._levels_db) if self._levels_db else np.zeros(0)
        if db.size < 3:
            return ()
        floor, loud = np.percentile(db, 10), np.percentile(db, 95)
        if loud - floor < 10:
            return ()  # no speech-like contrast: silence or steady noise
        voiced = db > floor + 0.35 * (loud - floor)
        onsets: list[float] = []
        quiet = int(min_gap_s / self.frame_s)
        run = quiet  # the start of the file counts as quiet
        for i, v in enumerate(voiced):
            if v:
                if run >= quiet:
                    onsets.append(round(i * self.frame_s, 3))
                run = 0
            else:
                run += 1
        return tuple(onsets)


def apply_onsets(words: Sequence[Word], onsets: Sequence[float], *, quiet_s: float = 0.25,
                 reach_s: float = 0.6) -> tuple[Word, ...]:
    """Align word times with the audio's speech onsets (each follows at least `quiet_s` of quiet).

    Whisper stretches the first word after a pause back over the quiet, or the last word before it
    forward; either way an onset then falls inside a word. If real speech follows the onset inside
    that word (0.15 s or more), the word starts there; otherwise the onset starts the next word. A
    word starting up to `reach_s` after an onset in a gap starts at the onset. The word before ends
    `quiet_s` before the onset, so the pause shows in the times."""
    if not onsets or not words:
        return tuple(words)
    w = [[x.text, x.start_s, x.end_s, x.probability] for x in words]
    starts = np.asarray([x[1] for x in w])
    for o in onsets:
        k = int(np.searchsorted(starts, o, side="right")) - 1  # last word starting at or before o
        if k >= 0 and w[k][1] < o < w[k][2]:
            if w[k][2] - o < 0.15:
                k += 1  # the onset ends this word's stretched tail: it starts the next one
        else:
            k += 1  # the onset is in a gap (or before the first word)
        if k >= len(w) or w[k][1] - o > reach_s or o - w[k][1] > 3.0:
            continue
        if k < len(w) and w[k][2] > o:
            w[k][1] = round(float(o), 3)
        if k > 0 and w[k - 1][2] > o - quiet_s and w[k - 1][1] < o - quiet_s:
            w[k - 1][2] = round(float(o) - quiet_s, 3)
    return tuple(Word(t, a, b, p) for t, a, b, p in w)


WPM_WINDOW_S = 20.0  # words per minute over a sliding window this wide...
WPM_STEP_S = 5.0  # ...sampled this often


def wpm_over_time(word_starts_s: Sequence[float]) -> tuple[list[float], list[float]]:
    """Words per minute over the answer: (window centres in s, wpm); fillers left out by the caller."""
    times = list(word_starts_s)
    if len(times) < 2:
        return [], []
    first, last = times[0], times[-1]
    xs, ys = [], []
    t = first
    while t <= last + 1e-9:
        lo, hi = max(first, t - WPM_WINDOW_S / 2), min(last, t + WPM_WINDOW_S / 2)
        n = sum(1 for x in times if lo <= x < hi or (hi == last and x == last))
        if hi - lo >= 5.0:
            xs.append(round(t, 2))
            ys.append(round(n * 60 / (hi - lo), 1))
        t += WPM_STEP_S
    return xs, ys
