"""Plain values for what the recogniser heard: words with times, segments, the whole transcript."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Word:
    text: str  # as Whisper wrote it, leading space stripped
    start_s: float
    end_s: float
    probability: float


@dataclass(frozen=True)
class Segment:
    text: str
    start_s: float
    end_s: float
    words: tuple[Word, ...]
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    segments: tuple[Segment, ...]
    duration_s: float  # length of the audio, not of the speech
    model: str

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments).strip()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        segments = tuple(
            Segment(
                text=s["text"],
                start_s=s["start_s"],
                end_s=s["end_s"],
                words=tuple(Word(**w) for w in s["words"]),
                no_speech_prob=s.get("no_speech_prob", 0.0),
                avg_logprob=s.get("avg_logprob", 0.0),
            )
            for s in data["segments"]
        )
        return cls(
            words=tuple(Word(**w) for w in data["words"]),
            segments=segments,
            duration_s=data["duration_s"],
            model=data["model"],
        )


# -- editing segments (live transcription commits parts of decodes) --------------------------------

def shifted(seg: Segment, offset_s: float) -> Segment:
    """The segment with its times moved by `offset_s` (a chunk's times to the session's)."""
    def w(x: Word) -> Word:
        return replace(x, start_s=round(x.start_s + offset_s, 3), end_s=round(x.end_s + offset_s, 3))

    return replace(seg, start_s=round(seg.start_s + offset_s, 3), end_s=round(seg.end_s + offset_s, 3),
                   words=tuple(w(x) for x in seg.words))


def keep_words(seg: Segment, keep_ids: set[int]) -> Segment | None:
    """The segment with only the words whose id() is in `keep_ids`; None when none is."""
    words = tuple(w for w in seg.words if id(w) in keep_ids)
    if not words:
        return None
    if len(words) == len(seg.words):
        return seg
    return replace(seg, words=words, text=" ".join(w.text for w in words), end_s=words[-1].end_s)


def words_before(seg: Segment, end_s: float) -> Segment | None:
    return keep_words(seg, {id(w) for w in seg.words if w.start_s < end_s})
