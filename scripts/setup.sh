#!/usr/bin/env bash
# Installs what mockinterview needs and is missing: Debian packages (as root, via apt-get),
# then .venv with the project in editable mode and its test extra. Quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(espeak-ng libportaudio2 libsndfile1 pulseaudio pulseaudio-utils alsa-utils sox tmux chromium)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    # apt-get finds nothing on a new machine until its lists exist.
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${missing[*]}" >&2
  fi
fi

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing mockinterview and its dependencies into .venv"
  # pip's output is long and mostly notes; keep it in a log and show it only when pip fails.
  if ! .venv/bin/python -m pip install -e '.[test]' > .venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    echo "setup: pip install failed (log: .venv/pip.log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
