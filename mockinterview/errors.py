"""One error family for the whole package; only the CLI turns these into messages and exit codes."""

from __future__ import annotations

import errno
from pathlib import Path


class MockInterviewError(Exception):
    """Base of every error the package raises on purpose. The message is one line meant for the user."""

    exit_code = 1


class BankError(MockInterviewError):
    """A question file is missing, unreadable or invalid."""


class UnknownQuestionError(BankError):
    """No question with that id in the bank."""


class AudioError(MockInterviewError):
    """An audio file cannot be read or written."""


class DeviceError(MockInterviewError):
    """A microphone or speaker is missing or fails to open."""


class ModelError(MockInterviewError):
    """The speech model cannot be loaded."""


class NoSpeechError(MockInterviewError):
    """The answer holds no speech to score."""

    exit_code = 3


class HistoryError(MockInterviewError):
    """The attempt history cannot be read or written."""


class SpeechSynthesisError(MockInterviewError):
    """Text cannot be turned into speech: no TTS engine, an unknown voice, or nothing to say."""


class StoryNotesError(MockInterviewError):
    """The candidate's story notes are missing a STAR heading, have an empty section, or cannot be read."""


class StorageError(MockInterviewError):
    """A file or folder cannot be written or read: a read-only or full disk, a path that is a file."""


# What the user can do about each cause, said once for every place that writes.
_CAUSES = {
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a file of that name is in the way",
}


def storage_error(path: Path | str, exc: OSError, doing: str = "write") -> StorageError:
    """A one-line error naming the path and the cause of an OSError (raise it `from exc`)."""
    cause = _CAUSES.get(exc.errno or 0) or exc.strerror or str(exc)
    return StorageError(f"{path}: cannot {doing}: {cause}")
