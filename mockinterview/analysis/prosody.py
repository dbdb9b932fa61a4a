"""How the answer sounded: pitch variation, loudness and fading sentence ends, per STAR section and over
the answer, with findings that carry their evidence (times and figures). Pure: pitch frames (from
analysis/pitch.py), section times and sentence times in, a ProsodyReport out.

Thresholds, and where they come from (README "How it sounded"):
- monotone: the f0 spread (std in semitones) over a 20 s window below 0.75 st. Hincks (2005) measured
  liveliness as pitch variation over sliding windows of presentation speech; the figure itself is measured
  on espeak-ng: its default voices, which already sound flat-ish, keep 1.0 st or more in their flattest
  20 s (fixtures 1.34-1.88, held-out voices 1.0-1.4), and the same text with SSML range="x-low"
  (audibly monotone) sits at 0.23-0.41 st.
- too quiet: speech-active level below -42 dBFS, 16 dB under the -26 dBov nominal active speech level of
  ITU-T P.56 practice. The fixtures sit near -30 dBFS; the same take at -24 dB near -54. The mic check
  (`check`) warns when the loudest 100 ms falls below -45 dBFS, the live view says "Louder" below -38.
- fading ends: the voiced frames of a sentence's last 0.6 s 7 dB or more under its other voiced frames, in
  at least a third of the sentences (and three or more). A voice that trails off still voices its last
  words, only quieter; the unvoiced release after them (breath, a final consonant, a neural voice's decay)
  is not the voice, and counting it gave a normal take of Kokoro's jm_kumo a median drop of 6.2 dB and the
  finding (8 of 21 sentences at 7 dB or more). On voiced frames: espeak-ng's fixtures 0.7-2.0 dB median
  (3.4 dB at most), Piper's en_US-joe-medium 2.9 dB (6.2 at most), Kokoro's jm_kumo 5.5 dB (2 of 20
  sentences at 7 dB or more, 7.5 at most; both takes as stored, Opus at 8 kbit/s); their copies with faded
  ends (the last 0.8 s ramped down to -18 dB) 9.3-13.6 dB median, 9 of 12 to 20 of 20 sentences at 7 dB
  or more.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np

from .pitch import FRAME_S, TRACKER, PitchFrames, semitones
from .report_data import ProsodyFinding, ProsodyReport, ProsodySection, ReportWord, ScoreReport, TimeSpan

WINDOW_S = 20.0  # monotone is judged over windows this long ("sustained")...
WINDOW_STEP_S = 5.0  # ...started this often
MIN_VOICED_S = 4.0  # a window, or a section, with less voiced speech than this is not judged
MONOTONE_SEMITONES = 0.75
QUIET_DBFS = -42.0
MIN_ACTIVE_S = 3.0  # a section needs this much speech before its level is judged
FLOOR_PERCENTILE = 10  # the room's level: a low percentile of the frame levels...
LOWEST_FLOOR_DBFS = -80.0  # ...never lower than this (digital silence between synthetic sentences)
ACTIVE_MARGIN_DB = 15.0  # a frame this far over the floor is speech, as is every voiced frame
FADE_TAIL_S = 0.6
MIN_SENTENCE_S = 1.5
FADE_DB = 7.0
FADE_SHARE = 1 / 3
MIN_FADING = 3
PEAK_BLOCK_FRAMES = 6  # 6 x 16 ms ~ the 100 ms blocks the recorder and the mic check measure
CONTOUR_STEP_S = 0.25
SENTENCE_ENDS = (".", "?", "!")


def analyze(frames: PitchFrames, sections: Sequence[tuple[str, float | None, float | None]],
            sentences: Sequence[tuple[float, float]]) -> ProsodyReport:
    """`sections`: (name, start_s, end_s), None times for a section not heard; `sentences`: (start_s, end_s)."""
    voiced = ~np.isnan(frames.f0_hz)
    active = voiced | (frames.level_dbfs >= _floor(frames.level_dbfs) + ACTIVE_MARGIN_DB)
    median_hz = float(np.median(frames.f0_hz[voiced])) if voiced.sum() * FRAME_S >= MIN_VOICED_S else None
    st = semitones(frames.f0_hz, median_hz) if median_hz else np.full(frames.f0_hz.size, np.nan)
    per_section = tuple(_section(name, a, b, frames, st, active) for name, a, b in sections)
    windows = _windows(frames.times_s, st)
    drops = _sentence_drops(frames, voiced, sentences)  # the voice itself: see the module's docstring
    loudness = _level(frames.level_dbfs[active])
    peak = _peak(frames.level_dbfs)
    findings = [f for f in (_monotone(windows), _too_quiet(per_section, sections, loudness, peak), _fading(drops)) if f]
    spread = _spread(st[voiced]) if median_hz else None
    pct = np.percentile(st[voiced], [10, 90]) if median_hz else None
    pitch_contour, level_contour = _contour(frames, st, active)
    return ProsodyReport(
        tracker=TRACKER,
        pitch_median_hz=_r(median_hz, 1),
        pitch_spread_semitones=_r(spread),
        pitch_range_semitones=_r(float(pct[1] - pct[0]) if pct is not None else None),
        flattest_window_semitones=_r(min(v for _, _, v in windows) if windows else None),
        loudness_dbfs=_r(loudness, 1),
        peak_dbfs=round(peak, 1),
        sentence_end_drop_db=_r(float(np.median([d for _, _, d in drops])) if drops else None, 1),
        sections=per_section,
        findings=tuple(findings),
        contour_step_s=CONTOUR_STEP_S,
        contour_pitch_semitones=pitch_contour,
        contour_loudness_dbfs=level_contour,
    )


def attach_prosody(report: ScoreReport, frames: PitchFrames) -> ScoreReport:
    """The report with how it sounded added, from the answer's pitch frames."""
    sections = [(s.name, s.start_s, s.end_s) for s in report.sections]
    return dataclasses.replace(report, prosody=analyze(frames, sections, sentences_of(report.words)))


def sentences_of(words: Sequence[ReportWord], pause_s: float = 0.6) -> list[tuple[float, float]]:
    """Sentence spans from the transcript: a word ending in . ? ! closes one, and so does a long pause
    (Whisper leaves out a full stop now and then)."""
    out: list[tuple[float, float]] = []
    start: float | None = None
    for i, w in enumerate(words):
        start = w.start_s if start is None else start
        gap = words[i + 1].start_s - w.end_s if i + 1 < len(words) else 0.0
        if w.text.rstrip("\"')").endswith(SENTENCE_ENDS) or gap >= pause_s or i + 1 == len(words):
            out.append((start, w.end_s))
            start = None
    return out


def recent_spread(frames: PitchFrames, now_s: float, window_s: float = WINDOW_S) -> float | None:
    """The pitch spread over the last `window_s` (the live "Vary your tone" cue); None until judged."""
    if now_s < window_s or frames.times_s.size == 0:
        return None
    voiced = ~np.isnan(frames.f0_hz)
    if voiced.sum() * FRAME_S < MIN_VOICED_S:
        return None
    st = semitones(frames.f0_hz, float(np.median(frames.f0_hz[voiced])))
    recent = st[(frames.times_s >= now_s - window_s) & voiced]
    return _spread(recent) if recent.size * FRAME_S >= MIN_VOICED_S else None


def _section(name: str, start_s: float | None, end_s: float | None, frames: PitchFrames, st: np.ndarray,
             active: np.ndarray) -> ProsodySection:
    if start_s is None or end_s is None:
        return ProsodySection(name, 0.0, None, None, None)
    inside = (frames.times_s >= start_s) & (frames.times_s < end_s)
    voiced = inside & ~np.isnan(st)
    voiced_s = float(voiced.sum() * FRAME_S)
    judged = voiced_s >= MIN_VOICED_S
    speech = inside & active
    level = _level(frames.level_dbfs[speech]) if speech.sum() * FRAME_S >= MIN_ACTIVE_S else None
    return ProsodySection(name, round(voiced_s, 1), _r(float(np.median(frames.f0_hz[voiced])), 1) if judged else None,
                          _r(_spread(st[voiced])) if judged else None, _r(level, 1))


def _windows(times_s: np.ndarray, st: np.ndarray) -> list[tuple[float, float, float]]:
    voiced = ~np.isnan(st)
    if not voiced.any():
        return []
    first, last = float(times_s[voiced][0]), float(times_s[voiced][-1])
    out = []
    start = first
    while start + WINDOW_S <= last + WINDOW_STEP_S:
        inside = voiced & (times_s >= start) & (times_s < start + WINDOW_S)
        if inside.sum() * FRAME_S >= MIN_VOICED_S:
            out.append((start, min(start + WINDOW_S, last), _spread(st[inside])))
        start += WINDOW_STEP_S
    return out


def _monotone(windows: Sequence[tuple[float, float, float]]) -> ProsodyFinding | None:
    spans: list[list[float]] = []
    for a, b, v in windows:
        if v >= MONOTONE_SEMITONES:
            continue
        if spans and a <= spans[-1][1]:
            spans[-1][1], spans[-1][2] = b, min(spans[-1][2], v)
        else:
            spans.append([a, b, v])
    if not spans:
        return None
    where = ", ".join(f"{_clock(a)}-{_clock(b)} ({v:.1f} st)" for a, b, v in spans)
    return ProsodyFinding("monotone", f"Flat tone: your pitch varied less than {MONOTONE_SEMITONES:g} semitone over "
                          f"{where}. Lift the words that matter: the number, the decision, the lesson.",
                          tuple(TimeSpan(round(a, 2), round(b, 2), round(v, 2)) for a, b, v in spans))


def _too_quiet(sections: Sequence[ProsodySection], times: Sequence[tuple[str, float | None, float | None]],
               loudness: float | None, peak: float) -> ProsodyFinding | None:
    quiet = [s for s in sections if s.loudness_dbfs is not None and s.loudness_dbfs < QUIET_DBFS]
    if not quiet:
        return None
    names = ", ".join(f"{s.name.title()} {s.loudness_dbfs:.0f} dBFS" for s in quiet)
    overall = f"{loudness:.0f} dBFS overall" if loudness is not None else "no level overall"
    return ProsodyFinding("too_quiet", f"Too quiet: {names} ({overall}; speech should sit above {QUIET_DBFS:g} dBFS). "
                          f"Your loudest moment was {peak:.0f} dBFS: the live view says \"Louder\" below -38 dBFS and "
                          "`mockinterview check` warns below -45. Sit closer or raise the input volume.",
                          tuple(TimeSpan(a or 0.0, b or 0.0, s.loudness_dbfs or 0.0)
                                for s, (_, a, b) in zip(sections, times) if s in quiet))


def _fading(drops: Sequence[tuple[float, float, float]]) -> ProsodyFinding | None:
    fading = [(a, b, d) for a, b, d in drops if d >= FADE_DB]
    if len(fading) < MIN_FADING or len(fading) < FADE_SHARE * len(drops):
        return None
    where = ", ".join(_clock(b) for _, b, _ in fading[:6]) + (" …" if len(fading) > 6 else "")
    return ProsodyFinding("fading_ends", f"Fading sentence ends: {len(fading)} of {len(drops)} sentences end "
                          f"{FADE_DB:g} dB or more quieter than they start (at {where}). Keep the breath for the last words.",
                          tuple(TimeSpan(round(a, 2), round(b, 2), round(d, 1)) for a, b, d in fading))


def _sentence_drops(frames: PitchFrames, active: np.ndarray, sentences: Sequence[tuple[float, float]]) -> list[tuple[float, float, float]]:
    out = []
    for a, b in sentences:
        if b - a < MIN_SENTENCE_S:
            continue
        head = active & (frames.times_s >= a) & (frames.times_s < b - FADE_TAIL_S)
        tail = active & (frames.times_s >= b - FADE_TAIL_S) & (frames.times_s < b)
        if head.sum() * FRAME_S < 0.3 or tail.sum() * FRAME_S < 0.1:
            continue
        out.append((a, b, float(_level(frames.level_dbfs[head]) - _level(frames.level_dbfs[tail]))))
    return out


def _contour(frames: PitchFrames, st: np.ndarray, active: np.ndarray) -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    steps = int(np.ceil(frames.duration_s / CONTOUR_STEP_S))
    index = (frames.times_s // CONTOUR_STEP_S).astype(int)
    pitch: list[float | None] = []
    level: list[float | None] = []
    for k in range(steps):
        here = index == k
        voiced = st[here & ~np.isnan(st)]
        pitch.append(round(float(np.median(voiced)), 2) if voiced.size >= 3 else None)
        speech = frames.level_dbfs[here & active]
        level.append(round(_level(speech), 1) if speech.size else None)  # type: ignore[arg-type]
    return tuple(pitch), tuple(level)


def _floor(levels: np.ndarray) -> float:
    return max(LOWEST_FLOOR_DBFS, float(np.percentile(levels, FLOOR_PERCENTILE))) if levels.size else LOWEST_FLOOR_DBFS


def _level(levels_dbfs: np.ndarray) -> float | None:
    """The RMS level of frames given in dBFS: powers averaged, not decibels."""
    if levels_dbfs.size == 0:
        return None
    return float(10 * np.log10(np.mean(10 ** (levels_dbfs / 10))))


def _peak(levels_dbfs: np.ndarray) -> float:
    if levels_dbfs.size == 0:
        return -120.0
    power = 10 ** (levels_dbfs / 10)
    n = min(PEAK_BLOCK_FRAMES, power.size)
    return float(10 * np.log10(np.max(np.convolve(power, np.ones(n) / n, mode="valid"))))


def _spread(st: np.ndarray) -> float:
    return float(np.std(st))


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
