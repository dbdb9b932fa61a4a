"""The attempt folder: the only stage that knows its layout and reads or writes its files."""

from .atomic import replacing, write_json_atomic, write_text_atomic
from .folder import (
    ATTEMPTS,
    REPORT_FILE,
    AttemptDir,
    AttemptInfo,
    AttemptStatus,
    answer_audio,
    attempt_files,
    attempt_folders,
    audio_names,
    install_attempt,
    is_attempt_folder,
    list_attempts,
    new_attempt_id,
    page_path,
    read_info,
    read_json,
    read_report_data,
    turn_audio_name,
)

__all__ = [
    "ATTEMPTS", "REPORT_FILE", "AttemptDir", "AttemptInfo", "AttemptStatus", "answer_audio", "attempt_files", "attempt_folders",
    "audio_names", "install_attempt", "is_attempt_folder", "list_attempts", "new_attempt_id", "page_path",
    "read_info", "read_json", "read_report_data", "replacing", "turn_audio_name",
    "write_json_atomic", "write_text_atomic",
]
