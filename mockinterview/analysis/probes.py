"""A follow-up probe reply checked against the strong reply's key phrase and the weak reply's markers."""

from __future__ import annotations

from ..asr.transcript import Transcript
from ..bank.model import Probe
from .credit.matcher import FUNCTION_WORDS, PRONOUNS, match_similarity, find_all, find_phrase, phrase_tokens
from .report_data import ProbeFinding, TimedPhrase
from .text import words_of
from .verdicts import ProbeVerdict

KEY_COVERAGE = 0.6  # share of the key phrase's content words that must be heard


def score_probe(probe: Probe, transcript: Transcript) -> ProbeFinding:
    glued, tokens = words_of(transcript.words)
    text = " ".join(g.text for g in glued)
    if not tokens:
        return ProbeFinding(probe.question, probe.key_phrase, False, 0.0, (), ProbeVerdict.NO_ANSWER, "",
                            "No reply was heard. " + _strong_hint(probe))
    # A key phrase is a whole sentence, rarely said word for word: count its content words heard
    # anywhere in the reply (with the same fuzzy token similarity as the strong phrases).
    key = [t for t in phrase_tokens(probe.key_phrase) if t not in FUNCTION_WORDS and t not in PRONOUNS]
    heard = sum(1 for k in key if any(match_similarity(k, t) >= 0.8 for t in tokens))
    coverage = round(heard / len(key), 2) if key else 0.0
    said = find_phrase(probe.key_phrase, tokens) is not None or coverage >= KEY_COVERAGE
    markers = []
    for marker in probe.weak_markers:
        for h in find_all(marker, tokens):
            markers.append(TimedPhrase(marker, " ".join(h.words), round(h.start_s, 2), round(h.end_s, 2)))
    markers.sort(key=lambda m: m.start_s)
    if said and not markers:
        verdict, advice = ProbeVerdict.STRONG, "Lands the key point."
    elif said:
        verdict, advice = ProbeVerdict.MIXED, f"Lands the key point but also sounds like the weak reply: {probe.weak_why}"
    elif markers:
        verdict, advice = ProbeVerdict.WEAK, f"{probe.weak_why} {_strong_hint(probe)}"
    else:
        verdict, advice = ProbeVerdict.WEAK, f"The key point was not heard. {_strong_hint(probe)}"
    return ProbeFinding(probe.question, probe.key_phrase, said, coverage, tuple(markers), verdict, text, advice)


def _strong_hint(probe: Probe) -> str:
    return f'A strong reply says: "{probe.key_phrase}"'
