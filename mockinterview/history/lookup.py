"""Find an attempt folder from what the user typed: an id, a unique prefix of one, `latest`, or a path."""

from __future__ import annotations

from pathlib import Path

from ..errors import HistoryError
from ..attempts import ATTEMPTS, attempt_folders, is_attempt_folder


def resolve_attempt(data_dir: Path, ref: str) -> Path:
    path = Path(ref).expanduser()
    if is_attempt_folder(path):
        return path
    folders = list(attempt_folders(data_dir))
    if ref == "latest":
        if not folders:
            raise HistoryError(f"{Path(data_dir) / ATTEMPTS}: no attempts yet")
        return folders[-1]  # ids start with the UTC time, so the last in name order is the newest
    exact = [f for f in folders if f.name == ref]
    if exact:
        return exact[0]
    matches = [f for f in folders if f.name.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise HistoryError(f'no attempt "{ref}" in {Path(data_dir) / ATTEMPTS} (see `mockinterview history`)')
    shown = ", ".join(m.name for m in matches[:3]) + (", ..." if len(matches) > 3 else "")
    raise HistoryError(f'"{ref}" matches {len(matches)} attempts ({shown}); type more of the id')
