"""mockinterview: an offline voice coach for behavioral interview answers (STAR format)."""

__version__ = "0.1.0"

from .errors import MockInterviewError  # noqa: E402

__all__ = ["MockInterviewError", "__version__"]
