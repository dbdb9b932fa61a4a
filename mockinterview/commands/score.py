"""`mockinterview score ID AUDIO`: score a recorded answer section by section."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..bank.model import LEVEL_IDS
from ._common import add_data_dir, load_full_bank, transcribe_with_progress

if TYPE_CHECKING:  # the models and numpy load only when a command runs
    import numpy as np

    from ..analysis.report_data import ScoreReport
    from ..asr import Transcriber
    from ..audio.file import AudioSource
    from ..bank.model import Question


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "score",
        help="score a recorded answer: STAR sections, strong phrases, timing, pacing",
        description=(
            "Transcribe a recorded answer with the bundled speech model and score it against the question: "
            "time and strong phrases per STAR section, pace, fillers, pauses, 'I' vs 'we', red flags and a "
            "short verdict. Exits 3 when no speech is heard."
        ),
        epilog="example: mockinterview score anticipate-customer-need answer.wav --level sde2 --format json\n"
        "example: mockinterview score anticipate-customer-need my-story.wav --own-story",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("id", help="question id (see `mockinterview list`)")
    parser.add_argument("audio", help="the recorded answer (WAV, FLAC, OGG, MP3, ...)")
    parser.add_argument("--level", choices=LEVEL_IDS, help="scale the section targets to this level's total time")
    parser.add_argument("--angle", help="leadership-principle angle to check (see `mockinterview show ID`)")
    parser.add_argument(
        "--marks",
        help="section start times in seconds, comma-separated (as many as sections, or one fewer: the moments "
        "you moved on); without it the sections are found automatically",
    )
    parser.add_argument("--own-story", action="store_true", help="you are telling your own story to this question: the model answer's story-specific phrases are shown, not judged, and each section is judged on its signals (scope, initiative, first-person actions, metric, business value, lesson)")
    parser.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    parser.add_argument("--model", help="speech model name or path (default: the bundled tiny.en)")
    add_data_dir(parser)
    return parser


def parse_marks(text: str | None) -> list[float] | None:
    from ..errors import MockInterviewError

    if not text:
        return None
    try:
        marks = [float(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise MockInterviewError(f'--marks "{text}": expected seconds separated by commas, e.g. 0,25,45,130,150') from exc
    if any(m < 0 for m in marks) or marks != sorted(marks):
        raise MockInterviewError(f'--marks "{text}": times must be non-negative and increasing')
    return marks


def score_recording(question: Question, audio: AudioSource, transcriber: Transcriber, *,
                    level: str | None = None, angle: str | None = None, marks_s: Sequence[float] | None = None,
                    own_story: bool = False) -> ScoreReport:
    """A saved recording scored with its sound (`score`, and `report --score` for an attempt whose report was
    never written). The file is read once, block by block: each block goes to the transcriber (which holds at
    most one window, asr/windows.py), the pitch tracker and the onset finder, so memory stays flat with length."""
    from ..analysis.pacing import OnsetFinder
    from ..analysis.pitch import PitchFollower
    from ..analysis.prosody import attach_prosody
    from ..analysis.score import score_answer
    from ..audio.clip import SAMPLE_RATE_HZ
    from ..errors import NoSpeechError

    pitch = PitchFollower()
    onsets = OnsetFinder(SAMPLE_RATE_HZ)

    def blocks() -> Iterator[np.ndarray]:
        for block in audio.blocks():
            pitch.feed(block)
            onsets.feed(block)
            yield block

    transcript = transcribe_with_progress(transcriber, audio, "Transcribing the answer", blocks=blocks(),
                                          terms=question.terms)
    try:
        report = score_answer(question, transcript, level=level, angle=angle, marks_s=marks_s,
                              speech_onsets_s=onsets.onsets(), own_story=own_story)
    except NoSpeechError as exc:
        raise NoSpeechError(f"{audio.path}: no speech was heard ({transcript.duration_s:.1f} s of audio), "
                            "nothing to score") from exc
    return attach_prosody(report, pitch.finish())


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..asr import Transcriber
    from ..audio.file import open_audio
    from ..errors import MockInterviewError

    question = load_full_bank(args).get(args.id)
    if args.angle and question.angle(args.angle) is None:
        known = ", ".join(a.id for a in question.angles) or "none"
        raise MockInterviewError(f'unknown angle "{args.angle}" for {question.id} (known: {known})')
    marks = parse_marks(args.marks)
    audio = open_audio(args.audio)  # a bad file is reported before the model is loaded
    report = score_recording(question, audio, Transcriber.load(args.model), level=args.level,
                             angle=args.angle, marks_s=marks, own_story=args.own_story)
    if args.format == "json":
        from ..report.json import render

        sys.stdout.write(render(report))
    elif args.format == "markdown":
        from ..report.markdown import render as render_md

        sys.stdout.write(render_md(report))
    else:
        from ..report.text import render as render_text

        render_text(report, Console())
    return 0
