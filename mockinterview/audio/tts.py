"""Text to speech with pyttsx3 (espeak-ng driver): text in, a 16 kHz mono AudioClip out.

Each synthesis runs in a fresh Python subprocess (this module's ``__main__``). pyttsx3's espeak
driver synthesizes asynchronously and ``runAndWait`` can return before the WAV is written, so a
process may leave no file or an empty one, and a second call in the same process may ignore a new
rate. One process per synthesis, waiting for the driver's "finished-utterance" event and checking
the frame count with a retry, is what proved reliable here.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpeechSynthesisError
from .clip import SAMPLE_RATE_HZ, AudioClip

DEFAULT_VOICE = "en-us"
DEFAULT_RATE_WPM = 175  # espeak-ng's own default speed
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450  # the range espeak-ng accepts
_ATTEMPTS = 3

# Worker exit codes, so the parent can tell a user mistake from a flaky run.
_EXIT_NO_ENGINE, _EXIT_BAD_VOICE, _EXIT_TIMEOUT = 3, 4, 5


@dataclass(frozen=True)
class Voice:
    id: str  # what espeak-ng calls the voice, e.g. "gmw/en-us"
    name: str  # e.g. "English (America)"
    languages: tuple[str, ...]  # e.g. ("en-us",)


def _init_engine():
    try:
        import pyttsx3

        return pyttsx3.init("espeak")
    except Exception as exc:  # pyttsx3 raises OSError/RuntimeError/ImportError depending on what is missing
        raise SpeechSynthesisError(
            f"no text-to-speech engine: espeak-ng cannot be loaded ({exc}); install the espeak-ng package"
        ) from exc


@functools.cache
def _voices() -> tuple[Voice, ...]:
    engine = _init_engine()
    found = []
    for v in engine.getProperty("voices"):
        langs = tuple(str(x.decode() if isinstance(x, bytes) else x).lower() for x in (v.languages or ()))
        found.append(Voice(id=str(v.id).lower(), name=str(v.name), languages=langs))
    return tuple(sorted(found, key=lambda v: v.id))


def list_voices() -> list[Voice]:
    """Every voice espeak-ng offers, sorted by id."""
    return list(_voices())


def resolve_voice(voice: str | None) -> str:
    """The espeak-ng voice id for an id ("gmw/en-us"), a language ("en-us") or a name, plus any "+variant"."""
    wanted = (voice or DEFAULT_VOICE).strip()
    base, plus, variant = wanted.partition("+")
    key = base.lower()
    voices = _voices()
    for match in (
        [v for v in voices if v.id == key],
        [v for v in voices if key in v.languages],
        [v for v in voices if v.name.lower() == key],
    ):
        if match:
            return match[0].id + (plus + variant if variant else "")
    english = [v.languages[0] for v in voices if v.languages and v.languages[0].startswith("en")]
    raise SpeechSynthesisError(
        f"unknown voice {wanted!r}; available: {', '.join(english)} and {len(voices) - len(english)} "
        "other languages (list them with list_voices()); add a variant like '+f3' for another speaker"
    )


def synthesize(text: str, *, voice: str | None = None, rate_wpm: int | None = None) -> AudioClip:
    """Speak ``text`` with espeak-ng and return it as 16 kHz mono float32 (with the engine's own edge silence)."""
    if not text or not text.strip():
        raise SpeechSynthesisError("nothing to synthesize: the text is empty")
    rate = DEFAULT_RATE_WPM if rate_wpm is None else int(rate_wpm)
    if not MIN_RATE_WPM <= rate <= MAX_RATE_WPM:
        raise SpeechSynthesisError(f"speech rate {rate} wpm is out of range ({MIN_RATE_WPM}-{MAX_RATE_WPM})")
    voice_id = resolve_voice(voice)
    with tempfile.TemporaryDirectory(prefix="mockinterview-tts-") as tmp:
        wav_path = Path(tmp) / "speech.wav"
        last_problem = "no audio was written"
        for _ in range(_ATTEMPTS):
            wav_path.unlink(missing_ok=True)
            last_problem = _run_worker(text, voice_id, rate, wav_path)
            if not last_problem and _frames(wav_path) > 0:
                return _read_16k(wav_path)
        raise SpeechSynthesisError(f"espeak-ng produced no audio for voice {voice_id!r} after {_ATTEMPTS} tries: {last_problem}")


def _run_worker(text: str, voice_id: str, rate: int, wav_path: Path) -> str:
    """Run one synthesis in a child process; '' on success, else what went wrong."""
    timeout_s = 30 + len(text) / 20
    try:
        proc = subprocess.run(
            [sys.executable, "-m", __name__, str(wav_path), voice_id, str(rate)],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout_s,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
    except subprocess.TimeoutExpired:
        return f"synthesis took longer than {timeout_s:.0f} s"
    message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    last_line = message[-1] if message else f"exit code {proc.returncode}"
    if proc.returncode in (_EXIT_NO_ENGINE, _EXIT_BAD_VOICE):
        raise SpeechSynthesisError(last_line)
    return "" if proc.returncode == 0 else last_line


def _frames(wav_path: Path) -> int:
    try:
        with wave.open(str(wav_path), "rb") as f:
            return f.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def _read_16k(wav_path: Path) -> AudioClip:
    from faster_whisper import decode_audio  # PyAV's resampler; heavy import kept out of module load

    samples = decode_audio(str(wav_path), sampling_rate=SAMPLE_RATE_HZ)
    return AudioClip(samples.astype("float32", copy=False), SAMPLE_RATE_HZ)


def _pin_voice_and_rate(voice_id: str, rate: int) -> None:
    """Make every voice/rate setting pyttsx3 sends to espeak-ng be ours.

    The driver sets rate 200 and its default voice when it starts, and espeak-ng applies parameters through
    its asynchronous command queue: in about 1 run in 15 the utterance came out at rate 200 despite our
    setProperty. Pinning the values at the binding closes that race (0 in 80 runs afterwards).
    """
    try:
        from pyttsx3.drivers import _espeak
    except Exception as exc:  # the binding loads libespeak-ng when imported
        raise SpeechSynthesisError(
            f"no text-to-speech engine: espeak-ng cannot be loaded ({exc}); install the espeak-ng package"
        ) from exc
    set_parameter, set_voice = _espeak.SetParameter, _espeak.SetVoiceByName

    def pinned_parameter(parameter, value, relative=0):
        return set_parameter(parameter, rate if parameter == _espeak.RATE else value, relative)

    _espeak.SetParameter = pinned_parameter
    _espeak.SetVoiceByName = lambda _name: set_voice(voice_id.encode("utf-8"))


def _worker(wav_path: str, voice_id: str, rate: int, text: str) -> int:
    """Child process: one save_to_file, then wait for the driver to say the file is complete."""
    import threading

    try:
        _pin_voice_and_rate(voice_id, rate)
        engine = _init_engine()
    except SpeechSynthesisError as exc:
        print(exc, file=sys.stderr)
        return _EXIT_NO_ENGINE
    done = threading.Event()
    engine.connect("finished-utterance", lambda name=None, completed=True: done.set())
    engine.setProperty("voice", voice_id)  # queued; a bad voice id is caught by resolve_voice in the parent
    engine.setProperty("rate", rate)
    engine.save_to_file(text, wav_path)
    engine.runAndWait()  # property changes are queued until here, and synthesis may still be running after it
    if not done.wait(timeout=30 + len(text) / 20):
        print("espeak-ng did not finish the utterance", file=sys.stderr)
        return _EXIT_TIMEOUT
    _, _, variant = voice_id.partition("+")
    current = str(engine.getProperty("voice") or "").lower()
    if variant and not current.endswith("+" + variant.lower()):
        # espeak-ng silently ignores an unknown variant; refuse rather than speak with the wrong one
        print(f"unknown voice variant {variant!r} in {voice_id!r}", file=sys.stderr)
        return _EXIT_BAD_VOICE
    return 0


if __name__ == "__main__":
    # pyttsx3 prints "Audio saved to ..." on stdout; the parent ignores stdout.
    sys.exit(_worker(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.stdin.read()))
