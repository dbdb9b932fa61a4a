"""Key presses: Enter (next section / finish), p (pause), q (quit), r (retry), letters for quiz answers.

`TerminalKeys` reads the real keyboard (cbreak mode on a TTY, plain reads on a pipe); tests replay
keys with mockinterview.testing.ScriptedKeys.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from typing import Protocol

KEY_NAMES = {"\n": "enter", "\r": "enter", "p": "pause", "q": "quit", "r": "retry", " ": "pause"}


class KeySource(Protocol):
    def poll(self) -> str | None:
        """The next key pressed since the last poll, by name, or None."""

    def close(self) -> None: ...


class TerminalKeys:
    """Reads stdin on a thread; restores the terminal mode on close (also after Ctrl-C)."""

    def __init__(self, stream=None):
        self._stream = stream or sys.stdin
        self._queue: queue.Queue[str] = queue.Queue()
        self._saved_mode = None
        self._closed = threading.Event()
        try:
            self._fd = self._stream.fileno()
        except (OSError, ValueError, AttributeError):
            self._fd = None
        if self._fd is None:
            return
        if os.isatty(self._fd):
            import termios
            import tty

            self._saved_mode = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd)
        threading.Thread(target=self._read, daemon=True, name="keys").start()

    def _read(self) -> None:
        while not self._closed.is_set():
            try:
                data = os.read(self._fd, 1)
            except OSError:
                return
            if not data:  # end of input: no more keys will come
                return
            char = data.decode("utf-8", "replace").lower()
            name = KEY_NAMES.get(char) or (char if char.isalnum() else None)
            if name:
                self._queue.put(name)

    def poll(self) -> str | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        self._closed.set()
        if self._saved_mode is not None:
            import termios

            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved_mode)
            self._saved_mode = None
