#!/usr/bin/env bash
# Installs everything Linguadesk needs on a fresh Debian machine; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Apertium pairs a European newsroom uses: English↔Spanish and ↔Catalan, and from Spanish
# to French, Portuguese and Italian (chained through Spanish for English sources).
APT_PACKAGES=(apertium apertium-eng-spa apertium-fr-es apertium-es-pt apertium-spa-ita
              apertium-eng-cat chromium)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Wait for another apt (a second checkout's setup, unattended upgrades) rather than fail.
  LOCK=(-o DPkg::Lock::Timeout=600)
  $SUDO apt-get "${LOCK[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${LOCK[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.linguadesk-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing Python packages (torch==2.13.0 first: the CPU build on this disk)"
  .venv/bin/pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c "import torch, transformers, celery, flask, sqlalchemy" 
  echo "$want" > "$stamp"
fi

# The desk's interface catalogues: the .po files are the source, the .mo files are built here.
.venv/bin/pybabel -q compile -d web/translations
