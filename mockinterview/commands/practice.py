"""`mockinterview practice`: the mock interview itself (modes study, drill, mock)."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from pathlib import Path

from ..bank.model import LEVEL_IDS
from ._common import add_data_dir, data_dir, load_full_bank

MODES = ("study", "drill", "mock")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "practice",
        help="practise a question aloud: study, drill or a full mock interview",
        description=(
            "Practise a question aloud. study: the walkthrough and quiz; drill: one STAR section at a time "
            "with instant feedback; mock: the question spoken, your answer timed, follow-up probes, full report."
        ),
        epilog=(
            "example: mockinterview practice anticipate-customer-need --mode mock --sections guided\n"
            "example: mockinterview practice --mode mock --answer-audio answer.wav probe1.wav --no-voice"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("question_id", nargs="?", help="question id (default: the one you practised least recently)")
    parser.add_argument("--mode", choices=MODES, default="mock")
    parser.add_argument("--level", choices=LEVEL_IDS, help="scales the targets to the level's guide")
    parser.add_argument("--angle", help="leadership-principle angle to answer for (e.g. customer-obsession)")
    parser.add_argument("--own-story", action="store_true", help="you are telling your own story to this question: the model answer's story-specific phrases are shown, not judged, and each section is judged on its signals (scope, initiative, first-person actions, metric, business value, lesson)")
    parser.add_argument("--sections", choices=["guided", "auto"], default="auto",
                        help="guided: press Enter at each new STAR section; auto: sections found from the words")
    parser.add_argument("--no-voice", action="store_true", help="print the questions instead of speaking them")
    parser.add_argument("--no-live", action="store_true", help="show only the elapsed time while you answer")
    parser.add_argument("--input-device", help="microphone by name (or part of it) or index; see `mockinterview devices`")
    parser.add_argument("--answer-audio", nargs="+", type=Path, metavar="AUDIO",
                        help="recordings that play the candidate: the answer first, then the probe replies")
    parser.add_argument("--stop-on-silence", type=float, metavar="S", help="end an answer after S seconds of silence")
    parser.add_argument("--max-answer-s", type=float, metavar="N", help="longest answer to record (default 300)")
    parser.add_argument("--probes", type=_probe_count, metavar="N",
                        help="mock mode: ask at most N follow-ups, chosen by what the answer left open "
                             "(default by level: 2 for sde1, 3 for sde2, 4 for senior; a strong answer may get fewer)")
    parser.add_argument("--model", help="speech model name or CTranslate2 folder (default: the bundled tiny.en)")
    parser.add_argument("--report", type=Path, metavar="PATH", help="also write the HTML report here")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report as JSON here")
    add_data_dir(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..analysis.credit.embeddings import preload as preload_embedder
    from ..asr.model import preload
    from ..asr.transcriber import TranscribeOptions, Transcriber
    from ..audio.clock import SystemClock
    from ..audio.file import read_audio
    from ..audio.speaker import open_speaker
    from ..bank.generic import with_generic_probes
    from ..errors import AudioError, BankError, MockInterviewError
    from ..attempts import AttemptDir, AttemptInfo, AttemptStatus, list_attempts, new_attempt_id
    from ..interview.keys import TerminalKeys
    from ..interview.picker import pick_question
    from ..interview.session import Devices, PracticeOptions

    console = Console(highlight=False)
    root = data_dir(args)
    bank = load_full_bank(args)
    if args.question_id:
        question = bank.get(args.question_id)
    else:
        question = pick_question(bank.questions, [a.info for a in list_attempts(root)])
        console.print(f"Practising [bold]{question.id}[/] (the one you have practised least recently).")
    # Every question gets at least three probes: its own first, then generic ones for its principle.
    question = with_generic_probes(question, minimum=3)
    if args.angle and question.angle(args.angle) is None:
        known = ", ".join(a.id for a in question.angles) or "none"
        raise BankError(f'{question.id}: no angle "{args.angle}" (this question has: {known})')
    for path in args.answer_audio or ():
        if not path.is_file():
            raise AudioError(f"{path}: no such file")
        read_audio(path)  # an unreadable file is refused here, before any model loads or attempt is made
    for name, value in (("--stop-on-silence", args.stop_on_silence), ("--max-answer-s", args.max_answer_s)):
        if value is not None and value <= 0:
            raise MockInterviewError(f"{name} must be a positive number of seconds, got {value:g}")

    options = PracticeOptions(
        mode=args.mode,
        level=args.level,
        angle=args.angle,
        own_story=args.own_story,
        sections=args.sections,
        live=not args.no_live,
        stop_on_silence_s=args.stop_on_silence,
        max_answer_s=args.max_answer_s,
        probes=args.probes,
    )
    # First, so a data folder that cannot take an attempt (read-only, full) is refused before models load.
    attempt = AttemptDir.create(
        root,
        AttemptInfo(
            id=new_attempt_id(question.id),
            question_id=question.id,
            mode=args.mode,
            started_at=_now_iso(),
            level=args.level,
            angle=args.angle,
            sections_mode=args.sections,
        ),
    )
    clock = SystemClock()
    # The model loads while the question is being spoken, so the first answer does not wait for it.
    model_future = preload(args.model)
    transcriber = Transcriber(model_future, TranscribeOptions(terms=question.terms))
    embedder_loading = preload_embedder()  # meaning credits in the report
    keys = TerminalKeys()
    try:
        devices = Devices(
            # The flow shows every question on screen itself; the speaker only adds the voice.
            speaker=open_speaker(no_voice=args.no_voice, console=Console(file=io.StringIO())),
            open_microphone=_microphones(args, clock),
            clock=clock,
            keys=keys,
            console=console,
            transcriber=transcriber,
            interactive=sys.stdin.isatty(),
            from_files=bool(args.answer_audio),
        )
        return _run_mode(question, options, devices, attempt, args, console)
    except KeyboardInterrupt:
        if attempt.info.status == AttemptStatus.RECORDING:
            attempt.update(status=AttemptStatus.INTERRUPTED, note="stopped with Ctrl-C")
        _show_partial_report(attempt, console)
        console.print(f"\nStopped. Everything recorded so far is kept in {attempt.path}")
        _record_history(root, attempt)
        return 130
    except MockInterviewError:
        attempt.discard_if_empty()  # a failed start (no microphone, say) leaves no attempt behind
        # onnxruntime aborts the process if it exits while a model is still loading on another thread
        embedder_loading.join()
        model_future.exception()
        raise
    finally:
        keys.close()


def _run_mode(question, options, devices, attempt, args, console) -> int:
    from ..attempts import AttemptStatus
    from ..errors import NoSpeechError, storage_error
    from ..interview.drill import run_drill
    from ..interview.mock import run_mock
    from ..interview.study import run_study

    root = data_dir(args)
    if options.mode == "study":
        result = run_study(
            question,
            console=console,
            speak=devices.speaker.speak if not args.no_voice else (lambda text: None),
            keys=devices.keys,
            sleep=devices.clock.sleep,
            level=options.level,
            interactive=devices.interactive,
        )
        attempt.save_study({"quiz_score": result.score, "quiz_total": len(result.answers), "finished": result.finished})
        attempt.update(status=AttemptStatus.STUDIED if result.finished else AttemptStatus.INTERRUPTED)
        _record_history(root, attempt)
        return 0
    if options.mode == "drill":
        run_drill(question, options, devices, attempt)
        _record_history(root, attempt)
        console.print(f"\nSaved in {attempt.path}", soft_wrap=True)
        return 0
    report = run_mock(question, options, devices, attempt)
    _record_history(root, attempt)
    if report is None:
        raise NoSpeechError(f"no speech was heard in the answer; the recording is kept in {attempt.path}")
    from ..report import text

    console.rule("[bold]Report")
    text.render(report, console)
    html_path = _write_html(attempt, question)
    if args.report:
        try:
            args.report.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(html_path, args.report)
            _copy_audio_beside(attempt, args.report.parent)
        except OSError as exc:
            raise storage_error(args.report, exc, f"copy the report there (it is saved in {attempt.path})") from exc
    if args.json:
        from ..attempts import write_json_atomic

        write_json_atomic(args.json, report.to_dict())
    console.print(f"\nSaved in {attempt.path}", soft_wrap=True)
    console.print(f"Report: {args.report or html_path}", soft_wrap=True)
    return 0


def _microphones(args: argparse.Namespace, clock):
    from ..audio.microphone import FileSource, SoundDeviceMicrophone

    def open_microphone(turn: int):
        if args.answer_audio:
            if turn >= len(args.answer_audio):
                return None
            return FileSource(args.answer_audio[turn], realtime=True, clock=clock)
        return SoundDeviceMicrophone(args.input_device)

    return open_microphone


def _write_html(attempt, question) -> Path:
    from ..report.html import write_html

    return write_html(attempt.path, question)


def _copy_audio_beside(attempt, folder: Path) -> None:
    # The HTML report plays the answer from a relative link, so the audio travels with it.
    for name in attempt.info.turns:
        source = attempt.path / name
        if source.exists() and folder.resolve() != attempt.path.resolve():
            shutil.copyfile(source, folder / name)


def _record_history(root: Path, attempt) -> None:
    from ..history.store import record_attempt

    record_attempt(root, attempt.path)


def _now_iso() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _probe_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of follow-ups, 0 or more")
    return n


def _show_partial_report(attempt, console) -> None:
    """The report of what was said before Ctrl-C, when the flow got as far as saving one."""
    from ..attempts import read_report_data
    from ..report import text
    from ..report.html import read_report

    if read_report_data(attempt.path, strict=False):
        console.rule("[bold]Partial report")
        text.render(read_report(attempt.path), console)
