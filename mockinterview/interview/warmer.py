"""Embed (and parse) what the report will compare while the answer is still spoken, so scoring after the end only looks
the vectors up (bench/latency.py: embedding a 3-minute answer's clauses after the end cost about 0.4 s).

    warmer = ClauseWarmer(question)       # starts a thread; embeds the question's phrases first
    warmer.offer(session.words_so_far(peek=False))  # from the recording loop, as often as it likes: never blocks
    warmer.close()                        # at the end of the answer

The sentence still being spoken is left for scoring (its words change until it ends). A failure (no
embedding model) is left for scoring to report, as `embeddings.preload` does.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ..analysis.credit.answer import finished_sentences, texts_to_compare
from ..analysis.credit.embeddings import DEFAULT_MODEL
from ..analysis.credit.meaning import warm
from ..analysis.credit.parser import load_parser, prepare
from ..analysis.text import words_of
from ..asr.transcript import Word
from ..bank import Question
from ..errors import MockInterviewError


class ClauseWarmer:
    def __init__(self, question: Question, model: str = DEFAULT_MODEL) -> None:
        self._question = question
        self._model = model
        self._cond = threading.Condition()
        self._latest: tuple[Word, ...] | None = None
        self._closing = False
        self.embedded_updates = 0  # offers turned into embeddings (tests, benches)
        self._thread = threading.Thread(target=self._run, name="clause-warmer", daemon=True)
        self._thread.start()

    def offer(self, words: Sequence[Word]) -> None:
        """The words so far; only the latest offer is kept, so a slow embedding never queues work."""
        with self._cond:
            self._latest = tuple(words)
            self._cond.notify()

    def close(self, wait: bool = False) -> None:
        """Stops taking offers. An embedding under way finishes on its own thread (scoring that needs
        the cache meanwhile waits for it there), so the last decode need not wait for it."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        if wait:
            self._thread.join()

    def _run(self) -> None:
        try:
            question_texts = texts_to_compare(self._question, [], [])
            warm(question_texts, self._model)
            load_parser()
            prepare(question_texts)  # the model answer's clauses, read for each credit's frame
            seen = 0
            while True:
                with self._cond:
                    while self._latest is None and not self._closing:
                        self._cond.wait()
                    if self._latest is None:  # closing, and the last offer was taken
                        return
                    words, self._latest = self._latest, None
                glued, tokens = words_of(words)
                said = tokens[-1].sentence if tokens else 0  # the sentence still open
                upto = next((i for i, t in enumerate(tokens) if t.sentence == said), len(tokens))
                if upto > seen:
                    warm(texts_to_compare(self._question, tokens, glued, upto), self._model)  # cached ones are skipped
                    prepare(finished_sentences(tokens, glued, seen, upto))
                    seen = upto
                    self.embedded_updates += 1
        except MockInterviewError:
            return

