"""Where questions go: the sound card, the terminal, or a list a test can read.

    speaker.speak("Tell me about a time ...")   # blocks until said; speaker.stop() from another thread cuts it short
    speaker.play(clip)                         # any AudioClip, e.g. a beep

The microphone is not recording while a speaker talks: the caller records only after `speak`
returns, so the question never ends up in the answer.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Protocol

import numpy as np
from rich.console import Console

from ..errors import DeviceError, MockInterviewError
from .clip import AudioClip
from .devices import DeviceInfo, NO_SERVER_HINT, devices_of, find_device, sounddevice


class Speaker(Protocol):
    def speak(self, text: str) -> None: ...

    def play(self, clip: AudioClip) -> None: ...

    def stop(self) -> None: ...


class SoundDeviceSpeaker:
    """Synthesizes with espeak-ng (tts.py) and plays through an output device, blocking."""

    def __init__(self, device: str | int | None = None, *, voice: str | None = None, rate_wpm: int | None = None) -> None:
        self._spec = device
        self.voice = voice
        self.rate_wpm = rate_wpm
        self.device: DeviceInfo | None = None
        self._stopped = threading.Event()

    def speak(self, text: str) -> None:
        from .tts import synthesize

        self._stopped.clear()
        clip = synthesize(text, voice=self.voice, rate_wpm=self.rate_wpm)
        if not self._stopped.is_set():  # stop() during synthesis means: do not start talking
            self._play(clip)

    def play(self, clip: AudioClip) -> None:
        self._stopped.clear()
        self._play(clip)

    def _play(self, clip: AudioClip) -> None:
        sd = sounddevice()
        self.device = device = find_device(self._spec, "output")
        samples, rate_hz = np.asarray(clip.samples, np.float32), clip.sample_rate_hz
        try:
            sd.check_output_settings(device=device.index, samplerate=rate_hz, channels=1, dtype="float32")
        except (sd.PortAudioError, ValueError):
            from .file import resample  # the device wants its own rate

            samples, rate_hz = resample(samples, rate_hz, device.default_sample_rate_hz), device.default_sample_rate_hz
        finished = threading.Event()
        position = 0

        # Our own stream, fed by a callback and driven from this thread only: stopping sd.play()'s
        # shared stream from another thread can deadlock sounddevice's wait(). (A larger `latency`
        # than the default lost the start or all of the sound on PulseAudio's ALSA plugin.)
        def callback(outdata: np.ndarray, frames: int, time: Any, status: Any) -> None:
            nonlocal position
            chunk = samples[position : position + frames]
            outdata[: chunk.size, 0] = chunk
            outdata[chunk.size :] = 0
            position += frames
            if position >= samples.size or self._stopped.is_set():
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(
                device=device.index, samplerate=rate_hz, channels=1, dtype="float32",
                callback=callback, finished_callback=finished.set,
            )
            with stream:
                while not finished.wait(0.05):
                    if self._stopped.is_set():
                        stream.abort()  # drop what is buffered: stop means now
                        break
        except sd.PortAudioError as exc:
            raise DeviceError(f'output device {device.index} "{device.name}" cannot play ({exc})') from exc

    def stop(self) -> None:
        """Cut the current sentence short (from any thread); `speak`/`play` then return."""
        self._stopped.set()


class TextSpeaker:
    """For --no-voice: prints what would be said."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)

    def speak(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def play(self, clip: AudioClip) -> None:
        pass  # a beep has no text

    def stop(self) -> None:
        pass


class FallbackSpeaker:
    """Speaks through `primary` while it works; once it fails (or if there is none), prints the text
    and says once, on `note_console`, why it could not speak."""

    def __init__(self, primary: Speaker | None, console: Console | None = None, *, note_console: Console | None = None, reason: str = "") -> None:
        self.primary = primary
        self.console = console or Console(highlight=False)
        self.note_console = note_console or self.console
        self.failure: str | None = None if primary is not None else (reason or "no audio output device")
        self._noted = False

    @property
    def failed(self) -> bool:
        return self.failure is not None

    def speak(self, text: str) -> None:
        if self._try(lambda: self.primary.speak(text)):
            return
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def play(self, clip: AudioClip) -> None:
        self._try(lambda: self.primary.play(clip))

    def stop(self) -> None:
        if self.primary is not None:
            self.primary.stop()

    def _try(self, action: Any) -> bool:
        if self.failure is None:
            try:
                action()
                return True
            except MockInterviewError as exc:
                self.failure = str(exc)
        if not self._noted:
            self._noted = True
            self.note_console.print(f"note: could not speak ({self.failure}); showing the text instead", markup=False, highlight=False, soft_wrap=True)
        return False


def open_speaker(
    *,
    no_voice: bool = False,
    device: str | int | None = None,
    voice: str | None = None,
    rate_wpm: int | None = None,
    console: Console | None = None,
    note_console: Console | None = None,
) -> Speaker:
    """The speaker a command should use: text only with --no-voice; otherwise the sound card,
    falling back to text (with one note) when there is no output device or playing fails."""
    console = console or Console(highlight=False)
    if no_voice:
        return TextSpeaker(console)
    note_console = note_console or Console(file=sys.stderr, highlight=False)
    try:
        outputs = devices_of("output")
    except DeviceError as exc:
        return FallbackSpeaker(None, console, note_console=note_console, reason=str(exc))
    if not outputs:
        return FallbackSpeaker(None, console, note_console=note_console, reason=f"no audio output device found; {NO_SERVER_HINT}")
    return FallbackSpeaker(SoundDeviceSpeaker(device, voice=voice, rate_wpm=rate_wpm), console, note_console=note_console)
