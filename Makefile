# Two commands: `make demo` runs the product on the bundled sample answer, `make test` runs the tests.
# Both install what is missing first (Debian packages when run as root, .venv with the project).

VENV := .venv
PY := $(VENV)/bin/python
DEMO_ARGS ?=

.PHONY: setup test demo bench clean

setup:
	@bash scripts/setup.sh

# Two workers, one test file each at a time; then the real-time tests (a person at a terminal, the virtual
# microphone) alone, one after another: beside model work their live transcription falls behind the speech
# (tests/conftest.py). Exit code 5 is "none of PYTEST_ARGS's tests in this part".
PYTEST_WORKERS ?= 2

test: setup
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "not realtime" --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(PY) -m pytest -q -p no:xdist -m realtime --durations=5 $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The candidate is the seed's strong answer in a neural voice (Kokoro-82M's jm_kumo, 163 wpm): tiny.en hears
# its Result's figures, which it does not hear in espeak-ng's strong_answer.flac (README, "Which model").
demo: setup
	$(PY) -m mockinterview practice anticipate-customer-need --mode mock \
		--answer-audio audio_fixtures/kokoro_strong_165.ogg audio_fixtures/probe_strong.flac audio_fixtures/probe_weak.flac $(DEMO_ARGS)

bench: setup
	$(PY) bench/transcribe_speed.py
	$(PY) bench/accuracy.py
	$(PY) bench/embeddings.py
	$(PY) bench/credit_corpus.py
	$(PY) bench/models.py

clean:
	rm -rf $(VENV) .pytest_cache
