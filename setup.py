"""The question bank lives in the top-level prompts/ folder (one place to edit it in a checkout);
a wheel carries it as package data, mockinterview/prompts/, which bank/loader.py looks for first."""

from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

BANK = Path(__file__).resolve().parent / "prompts"


class BuildWithBank(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's prompts/ directly
            return
        target = Path(self.build_lib) / "mockinterview" / "prompts"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(BANK, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBank})
