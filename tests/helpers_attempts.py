"""A scored attempt folder built as the practice flow writes it, from a spoken fixture and the real model."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES
from mockinterview.analysis.pacing import speech_onsets
from mockinterview.analysis.pitch import track_pitch
from mockinterview.analysis.prosody import attach_prosody
from mockinterview.analysis.score import attach_probes, score_answer
from mockinterview.audio.file import read_audio


def build_attempt(data_dir: Path, question, transcribe, stamp: str, answer: str, probe: str | None = None,
                  *, mode: str = "mock", level: str | None = None) -> Path:
    """An attempt folder as the practice flow writes it: attempt.json, answer.wav, transcripts, report.json."""
    import soundfile as sf

    attempt_id = f"{stamp}-{question.id}"
    folder = data_dir / "attempts" / attempt_id
    folder.mkdir(parents=True)
    clip = read_audio(FIXTURES / f"{answer}.flac")
    sf.write(folder / "answer.wav", clip.samples, clip.sample_rate_hz)
    transcript = transcribe(answer, question.terms)
    (folder / "answer.transcript.json").write_text(json.dumps(transcript.to_dict()))
    report = score_answer(question, transcript, level=level,
                          speech_onsets_s=speech_onsets(clip.samples, clip.sample_rate_hz))
    report = attach_prosody(report, track_pitch(clip.samples, clip.sample_rate_hz))
    turns = ["answer.wav"]
    if probe:
        pclip = read_audio(FIXTURES / f"{probe}.flac")
        sf.write(folder / "probe-1.wav", pclip.samples, pclip.sample_rate_hz)
        ptranscript = transcribe(probe, question.terms)
        (folder / "probe-1.transcript.json").write_text(json.dumps(ptranscript.to_dict()))
        report = attach_probes(report, [(question.probes[0], ptranscript)])
        turns.append("probe-1.wav")
    (folder / "report.json").write_text(json.dumps(report.to_dict(), indent=1))
    started = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}+00:00"
    (folder / "attempt.json").write_text(json.dumps(dict(
        id=attempt_id, question_id=question.id, mode=mode, started_at=started, level=level, angle=None,
        sections_mode="auto", status="scored", marks_s=[], turns=turns, note="")))
    return folder
