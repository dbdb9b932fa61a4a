"""The sound devices PortAudio sees, and the one place that imports sounddevice.

sounddevice reads the device list once, when it is imported; that is why it is imported here,
lazily, and why tests run device code in a fresh process started after the audio server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import DeviceError

Kind = Literal["input", "output"]
NO_SERVER_HINT = "no audio server (PulseAudio or PipeWire) may be running"


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    host_api: str
    input_channels: int
    output_channels: int
    default_sample_rate_hz: int
    is_default_input: bool
    is_default_output: bool

    def channels(self, kind: Kind) -> int:
        return self.input_channels if kind == "input" else self.output_channels


def sounddevice() -> Any:
    """The sounddevice module; a missing PortAudio library becomes a DeviceError."""
    try:
        import sounddevice as sd
    except OSError as exc:  # raised at import when libportaudio cannot be loaded
        raise DeviceError(f"the PortAudio library cannot be loaded ({exc}); install libportaudio2") from exc
    return sd


def list_devices() -> tuple[DeviceInfo, ...]:
    """Every device, inputs and outputs, with the defaults marked."""
    sd = sounddevice()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = _defaults(sd)
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices ({exc})") from exc
    return tuple(
        DeviceInfo(
            index=int(d["index"]),
            name=str(d["name"]),
            host_api=str(apis[d["hostapi"]]["name"]),
            input_channels=int(d["max_input_channels"]),
            output_channels=int(d["max_output_channels"]),
            default_sample_rate_hz=int(round(d["default_samplerate"])),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in raw
    )


def devices_of(kind: Kind, devices: tuple[DeviceInfo, ...] | None = None) -> tuple[DeviceInfo, ...]:
    return tuple(d for d in (list_devices() if devices is None else devices) if d.channels(kind) > 0)


def find_device(spec: str | int | None, kind: Kind) -> DeviceInfo:
    """The device for `--input-device`/`--output-device`: an index, a name or part of one, or None for the default."""
    candidates = devices_of(kind)
    if not candidates:
        raise DeviceError(f"no audio {kind} device found; {NO_SERVER_HINT}")
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        defaults = [d for d in candidates if (d.is_default_input if kind == "input" else d.is_default_output)]
        return defaults[0] if defaults else candidates[0]
    text = str(spec).strip()
    if text.isdigit():
        found = [d for d in candidates if d.index == int(text)]
    else:
        found = [d for d in candidates if d.name.lower() == text.lower()]
        found = found or [d for d in candidates if text.lower() in d.name.lower()]
    if not found:
        raise DeviceError(f'no audio {kind} device matches "{text}"; available {kind}s: {describe(candidates)}')
    return found[0]


def describe(devices: tuple[DeviceInfo, ...]) -> str:
    """`0 "pulse", 1 "default"`: short enough for a one-line error."""
    return ", ".join(f'{d.index} "{d.name}"' for d in devices) or "none"


def _defaults(sd: Any) -> tuple[int, int]:
    pair = sd.default.device
    return int(pair[0]), int(pair[1])
