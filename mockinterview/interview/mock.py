"""Mock mode, the real thing: the question is spoken, the answer recorded in one go (sections marked by
Enter or found from the words), each follow-up probe spoken and answered, then the full report.

Everything is saved as it happens (mockinterview/attempts), so a quit, Ctrl-C or crash keeps the audio
taken so far, and a partial report is written for whatever was said."""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape

from ..analysis import pacing
from ..analysis.pitch import track_pitch
from ..analysis.followups import choose_followups, judge_reply
from ..analysis.prosody import attach_prosody
from ..analysis.report_data import ProbeFinding, ScoreReport
from ..analysis.verdicts import GAP_LABEL
from ..analysis.score import score_answer
from ..analysis.live import LiveSectionTracker
from ..analysis.section_model import default_reader
from ..asr.feeding import FeedingMicrophone
from ..asr.streaming import StreamingSession
from ..asr.transcript import Transcript
from ..audio.recorder import Recorder
from ..audio.file import read_audio
from ..audio.microphone import Microphone
from ..bank import PRINCIPLES, Question
from ..errors import NoSpeechError
from ..attempts import AttemptDir, AttemptStatus
from .session import (
    DEFAULT_MAX_ANSWER_S,
    DEFAULT_MAX_PROBE_S,
    DEFAULT_PROBE_SILENCE_S,
    Devices,
    PracticeOptions,
)
from .turn import Turn, TurnPlan, record_turn
from .warmer import ClauseWarmer

TRACK_EVERY_S = 1.0
STALE_WORDS_S = 10.0
PITCH_SLACK_S = 0.5  # the live pitch track may end up to this much short of the file (the last block)


def run_mock(question: Question, options: PracticeOptions, devices: Devices, attempt: AttemptDir) -> ScoreReport | None:
    console = devices.console
    targets = question.targets_s(options.level)
    _introduce(question, options, devices)
    devices.speaker.speak(question.question)

    microphone = devices.open_microphone(0)
    if microphone is None:
        raise NoSpeechError("no answer source: give a microphone or --answer-audio")
    guided = options.sections == "guided"
    plan = TurnPlan(
        sections=[(s.name, targets[s.name]) for s in question.sections] if guided else (),
        total_target_s=sum(targets.values()),
        stop_on_silence_s=options.stop_on_silence_s,
        max_s=options.max_answer_s or DEFAULT_MAX_ANSWER_S,
        live=options.live,
        targets_s=targets,
    )
    if guided and devices.interactive:
        console.print("[dim]Speak your answer. Enter: next section (the last Enter finishes) · p: pause · q: quit[/]")
    elif devices.interactive:
        console.print("[dim]Speak your answer. Enter: finish · p: pause · q: quit[/]")
    stream = devices.transcriber.stream(terms=question.terms)
    tracker = LiveSectionTracker(question, level=options.level, reader=default_reader()) \
        if not guided and options.live else None
    warmer = ClauseWarmer(question)
    try:
        turn = _record(devices, attempt, FeedingMicrophone(microphone, stream), 0, plan, tracker=tracker, warmer=warmer)
    except BaseException:
        warmer.close(wait=True)  # a thread still loading a model when the process exits aborts it
        raise
    warmer.close()
    attempt.update(marks_s=turn.marks_s)
    answer = _finish(devices, attempt, 0, stream)
    report = _score(question, options, answer, attempt, turn)
    if report is None:
        attempt.update(status=AttemptStatus.INTERRUPTED if turn.quit else AttemptStatus.NO_SPEECH)
        return None
    if turn.quit:
        report = replace(report, partial=_stopped("during the answer", turn))
        attempt.save_report(report.to_dict())
        attempt.update(status=AttemptStatus.INTERRUPTED, note=f"stopped {report.partial}")
        if turn.signalled:
            raise KeyboardInterrupt  # the recorder kept the audio through Ctrl-C; the command exits 130
        return report
    attempt.save_report(report.to_dict())
    # Follow-ups dig where the answer is thin (analysis/followups.py), most important gap first.
    followups = choose_followups(question, report, limit=options.probes, own_story=options.own_story)
    findings: list[ProbeFinding] = []
    for number, followup in enumerate(followups, 1):
        microphone = devices.open_microphone(number)
        if microphone is None:
            break
        console.rule(f"Follow-up {number}/{len(followups)}" + (f" · {GAP_LABEL[followup.gap]}" if followup.gap else ""))
        console.print(f"[bold]{escape(followup.asked)}[/]")
        devices.speaker.speak(followup.asked)
        probe_plan = TurnPlan(
            total_target_s=60.0,
            stop_on_silence_s=options.stop_on_silence_s or (None if devices.from_files else DEFAULT_PROBE_SILENCE_S),
            max_s=DEFAULT_MAX_PROBE_S,
            live=options.live,
        )
        stream = devices.transcriber.stream(terms=question.terms)
        probe_turn = _record(devices, attempt, FeedingMicrophone(microphone, stream), number, probe_plan)
        reply = _finish(devices, attempt, number, stream)
        findings.append(judge_reply(followup, question, reply))
        report = replace(report, probe_findings=tuple(findings))
        if probe_turn.quit:
            report = replace(report, partial=_stopped(f"during follow-up {number} of {len(followups)}", probe_turn))
        attempt.save_report(report.to_dict())
        if probe_turn.quit:
            attempt.update(status=AttemptStatus.INTERRUPTED, note=f"stopped {report.partial}")
            if probe_turn.signalled:
                raise KeyboardInterrupt  # as above: saved, then exit 130
            return report
    if findings:  # a reply that closed a gap (or confirmed a hand-off) moves the verdict
        report = _score(question, options, answer, attempt, turn, tuple(findings)) or report
        attempt.save_report(report.to_dict())
    attempt.update(status=AttemptStatus.SCORED)
    return report


def _stopped(where: str, turn: Turn) -> str:
    return f"{where} with Ctrl-C" if turn.signalled else where


def _introduce(question: Question, options: PracticeOptions, devices: Devices) -> None:
    console = devices.console
    console.rule("[bold]Mock interview")
    principles = ", ".join(PRINCIPLES[p] for p in question.principles)
    total = sum(question.targets_s(options.level).values())
    level = question.level(options.level)
    console.print(f"[dim]{question.id} · {principles} · target {total:.0f} s"
                  + (f" · {escape(level.title)} {escape(level.length_note)}" if level else "") + "[/]")
    angle = question.angle(options.angle)
    if angle:
        console.print(f"[bold]Angle: {PRINCIPLES[angle.principle]}[/]")
        console.print(f"  Lead with: {escape(angle.lead_with)}")
        console.print(f"  Emphasize: {escape(angle.emphasize)}")
        console.print(f"  Downplay: {escape(angle.downplay)}")
    console.print(f"\n[bold]{escape(question.question)}[/]\n")


def _record(devices: Devices, attempt: AttemptDir, microphone: Microphone, number: int, plan: TurnPlan,
            tracker: LiveSectionTracker | None = None, warmer: ClauseWarmer | None = None) -> Turn:
    path = attempt.audio_path(number)
    attempt.update(turns=attempt.info.turns + (path.name,))
    on_progress = current_section = recent_wpm = None
    if isinstance(microphone, FeedingMicrophone):
        session = microphone.session
        seen: dict[str, float | None] = {"elapsed_s": 0.0, "updated_s": 0.0, "heard_s": 0.0, "wpm": None}

        def on_progress(recorder: Recorder) -> None:
            seen["elapsed_s"] = recorder.elapsed_s
            # The segmentation reruns on all words so far: once a second is plenty for a live label.
            if recorder.elapsed_s - (seen["updated_s"] or 0.0) >= TRACK_EVERY_S:
                seen["updated_s"] = recorder.elapsed_s
                words = session.words_so_far()
                if tracker is not None:
                    tracker.update(words)
                settled = session.words_so_far(peek=False)
                if warmer is not None:
                    warmer.offer(settled)
                seen["heard_s"] = words[-1].end_s if words else 0.0
                # The pace is judged on settled words only: a peek's last words are often squeezed or
                # invented at the edge of the audio, and one such burst read as 200 wpm would say "Slow down".
                seen["wpm"] = pacing.recent_wpm(settled)

        def fresh() -> bool:
            # When transcription lags (a busy CPU), the words say nothing of now: no cue beats a wrong one.
            return (seen["elapsed_s"] or 0.0) - (seen["heard_s"] or 0.0) <= STALE_WORDS_S

        def current_section() -> tuple[str, float] | None:
            return tracker.current() if tracker is not None and fresh() else None

        def recent_wpm() -> float | None:
            return seen["wpm"] if fresh() else None

    return record_turn(microphone, path, plan, clock=devices.clock, keys=devices.keys, console=devices.console,
                       on_progress=on_progress, current_section=current_section, recent_wpm=recent_wpm)


def _finish(devices: Devices, attempt: AttemptDir, number: int, stream: StreamingSession) -> Transcript:
    """The words were transcribed while they were spoken; only the last moments are left to do."""
    with devices.console.status("Transcribing the last words…"):
        transcript = stream.finish()
    if stream.fallback:
        devices.console.print(f"[yellow]note:[/] {escape(stream.fallback)}")
    attempt.save_transcript(attempt.audio_path(number), transcript.to_dict())
    return transcript


def _score(question: Question, options: PracticeOptions, transcript: Transcript, attempt: AttemptDir, turn: Turn,
           probe_findings: tuple[ProbeFinding, ...] = ()) -> ScoreReport | None:
    frames, onsets = turn.pitch, turn.onsets_s
    if frames is None or onsets is None or abs(frames.duration_s - turn.recording.duration_s) > PITCH_SLACK_S:
        # the tap missed audio (or did not run): analyse the saved file; else nothing is read after the end
        clip = read_audio(attempt.audio_path(0))
        frames = track_pitch(clip.samples, clip.sample_rate_hz)
        onsets = pacing.speech_onsets(clip.samples, clip.sample_rate_hz)
    marks = turn.marks_s if options.sections == "guided" and len(turn.marks_s) > 1 else None
    try:
        report = score_answer(question, transcript, level=options.level, angle=options.angle, marks_s=marks,
                              speech_onsets_s=onsets, own_story=options.own_story, probe_findings=probe_findings)
    except NoSpeechError:
        return None
    return attach_prosody(report, frames)
