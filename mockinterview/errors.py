"""One error family for the whole package; only the CLI turns these into messages and exit codes."""

from __future__ import annotations


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
