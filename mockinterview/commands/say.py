"""`mockinterview say TEXT`: speak a sentence with the interview voice, or write it to a WAV."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "say",
        help="speak a sentence with the interview voice (or write it to a WAV)",
        description=(
            "Speak TEXT through the default (or chosen) output device with the interviewer's voice. "
            "With --out, write a 16 kHz mono WAV instead. If no output device works, the text is printed, "
            "a note says once why it could not be spoken, and the exit code is 1."
        ),
        epilog='example: mockinterview say "Why did you add a dead letter queue alert?" --rate 160',
    )
    parser.add_argument("text", help="what to say")
    parser.add_argument("--out", type=Path, metavar="WAV", help="write the speech to this WAV file instead of playing it")
    parser.add_argument("--voice", help="espeak-ng voice: a language such as en-us or en-gb, optionally +variant (en-us+f3)")
    parser.add_argument("--rate", type=int, metavar="WPM", help="speaking rate in words per minute (default 175)")
    parser.add_argument("--output-device", metavar="D", help="output device index or part of its name (see `mockinterview devices`)")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..audio.speaker import FallbackSpeaker, open_speaker

    if args.out is not None:
        from ..audio.tts import synthesize
        from ..audio.wavwriter import WavWriter

        clip = synthesize(args.text, voice=args.voice, rate_wpm=args.rate)
        with WavWriter(args.out, clip.sample_rate_hz) as writer:
            writer.write(clip.samples)
        print(f"wrote {clip.duration_s:.1f} s to {args.out}")
        return 0
    speaker = open_speaker(device=args.output_device, voice=args.voice, rate_wpm=args.rate)
    speaker.speak(args.text)
    return 1 if isinstance(speaker, FallbackSpeaker) and speaker.failed else 0
