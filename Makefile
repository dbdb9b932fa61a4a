# Two commands: `make demo` runs the product on the bundled sample answer, `make test` runs the tests.
# Both install what is missing first (Debian packages when run as root, .venv with the project).

VENV := .venv
PY := $(VENV)/bin/python
DEMO_ARGS ?=

.PHONY: setup test demo bench clean

setup:
	@bash scripts/setup.sh

# Two workers, one test file each at a time; the real-time files (a person at a terminal, the virtual
# microphone) go to one worker, one after another (tests/conftest.py): they mostly wait, so the other
# worker's model work fits beside them, but two of them side by side starve each other.
PYTEST_WORKERS ?= 2

test: setup
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

demo: setup
	$(PY) -m mockinterview practice anticipate-customer-need --mode mock \
		--answer-audio audio_fixtures/strong_answer.flac audio_fixtures/probe_strong.flac audio_fixtures/probe_weak.flac $(DEMO_ARGS)

bench: setup
	$(PY) bench/transcribe_speed.py
	$(PY) bench/accuracy.py
	$(PY) bench/embeddings.py
	$(PY) bench/credit_corpus.py
	$(PY) bench/models.py

clean:
	rm -rf $(VENV) .pytest_cache
