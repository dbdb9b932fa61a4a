"""`mockinterview transcribe`: an audio file to a transcript with word times, using the local model."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "transcribe",
        help="transcribe an audio file with word times (offline)",
        description=(
            "Transcribe an audio file (WAV, FLAC, OGG, MP3; any rate and channel count) with the "
            "local Whisper model. Each line is one segment; each word shows its start and end in seconds."
        ),
        epilog="example: mockinterview transcribe answer.wav --format json > answer.json",
    )
    parser.add_argument("audio", metavar="AUDIO", help="the audio file")
    parser.add_argument(
        "--model",
        default=None,
        help="a model directory or a faster-whisper model name (default: the bundled tiny.en, no network)",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--beam-size", type=int, default=None, metavar="N", help="beam search width (default: 5; 1 is faster)")
    parser.add_argument(
        "--no-filler-prompt",
        action="store_true",
        help='do not prompt the model with fillers (it then drops many "um"s and "uh"s)',
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from ..asr import TranscribeOptions, Transcriber, load_model
    from ..audio.file import open_audio
    from ..errors import ModelError
    from ._common import print_json, transcribe_with_progress

    options = TranscribeOptions(filler_prompt=not args.no_filler_prompt)
    if args.beam_size is not None:
        if args.beam_size < 1:
            raise ModelError(f"--beam-size {args.beam_size}: must be 1 or more")
        options = TranscribeOptions(beam_size=args.beam_size, filler_prompt=options.filler_prompt)

    status = Console(stderr=True)
    audio = open_audio(args.audio)  # a bad file is reported before the model is loaded
    with status.status("loading the speech model…"):
        model = load_model(args.model)
    transcript = transcribe_with_progress(Transcriber(model, options), audio, f"transcribing {escape(str(args.audio))}")

    if args.format == "json":
        print_json(transcript.to_dict())
        return 0
    out = sys.stdout
    out.write(f"# {args.audio}: {transcript.duration_s:.2f} s, model {transcript.model}, {len(transcript.words)} words\n")
    if not transcript.words:
        out.write("(no speech)\n")
    for segment in transcript.segments:
        out.write(f"{segment.start_s:7.2f}-{segment.end_s:7.2f}  {segment.text}\n")
        for word in segment.words:
            out.write(f"  [{word.start_s:6.2f}-{word.end_s:6.2f}] {word.text}\n")
    return 0
