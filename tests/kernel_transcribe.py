"""Transcribes audio files with the product's transcriber as it runs under this process's CPU kernel
(CT2_FORCE_CPU_ISA, read by CTranslate2 when it loads, so each kernel needs its own process), and
prints each transcript as JSON: {path: Transcript.to_dict()}. Used by tests/test_kernels.py.

    CT2_FORCE_CPU_ISA=AVX2 python tests/kernel_transcribe.py audio_fixtures/weak_we_answer.flac
"""

from __future__ import annotations

import json
import sys

from mockinterview.asr import Transcriber, TranscribeOptions, load_model
from mockinterview.bank import BUILTIN_DIR, load_bank

SEED = 0


def main(paths: list[str]) -> int:
    terms = load_bank([BUILTIN_DIR]).get("anticipate-customer-need").terms
    out = {}
    for path in paths:
        transcriber = Transcriber(load_model(None, seed=SEED), TranscribeOptions(terms=tuple(terms)))
        out[path] = transcriber.transcribe(path).to_dict()
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
