"""The package as users install it: a wheel built from this checkout, installed (not editable) into a
clean virtualenv, carries the question bank and runs from any folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(*cmd: str | os.PathLike[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{cmd}: {result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv with the freshly built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    # from a copy: setuptools builds in the source's build/, which a stale or concurrent build there breaks
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                                 ".pytest_cache", ".hypothesis", "out"))
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", work / "dist", source, cwd=work)
    wheels = list((work / "dist").glob("mockinterview-*.whl"))
    assert len(wheels) == 1, wheels
    venv.create(work / "venv", with_pip=True)
    bin_dir = work / "venv" / "bin"
    _run(bin_dir / "python", "-m", "pip", "install", "-q", wheels[0], cwd=work)
    return bin_dir


def test_wheel_lists_and_shows_the_bundled_bank(installed, tmp_path):
    listed = json.loads(_run(installed / "mockinterview", "list", "--format", "json", cwd=tmp_path).stdout)
    builtin = sorted(p.stem for p in (ROOT / "prompts").rglob("*.toml"))
    assert len(builtin) >= 17
    assert sorted(q["id"] for q in listed) == builtin
    shown = _run(installed / "mockinterview", "show", "anticipate-customer-need", "--format", "json", cwd=tmp_path)
    assert [s["target_s"] for s in json.loads(shown.stdout)["sections"]] == [30, 20, 90, 20, 15]


def test_wheel_is_not_the_checkout(installed, tmp_path):
    """The installed package reads its own copy of the bank, and ships its type marker."""
    code = ("import mockinterview, pathlib, mockinterview.bank.loader as l; "
            "print(pathlib.Path(mockinterview.__file__).parent); print(l.BUILTIN_DIR)")
    package_dir, bank_dir = _run(installed / "python", "-c", code, cwd=tmp_path).stdout.split()
    assert not Path(package_dir).is_relative_to(ROOT)
    assert Path(bank_dir) == Path(package_dir) / "prompts"
    assert (Path(package_dir) / "py.typed").is_file()
    assert all((Path(package_dir) / "report" / "static" / name).is_file() for name in ("report.css", "report.js"))
    assert _run(installed / "mockinterview", "lint", cwd=tmp_path).stdout.strip() == "ok"
