# Sourced by run.sh and test.sh: create .venv if missing and install the project into it.
# torch is installed first and pinned, from the CPU wheel these machines carry, so that no
# dependency can pull a CUDA build of torch (several GB).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON_BIN=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $PYTHON_BIN"
  "$PYTHON_BIN" -m venv .venv
fi
extras=${1:-}
stamp=".venv/.policyqa-installed${extras:+-$extras}"
pip_install() {  # quiet, minus this machine's harmless index-location warnings
  .venv/bin/pip install --quiet --disable-pip-version-check "$@" 2>&1 | { grep -v "WARNING: Location" || true; }
  return "${PIPESTATUS[0]}"
}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== installing (first run takes a few minutes)"
  pip_install "torch==2.13.0"
  pip_install -e ".${extras:+[$extras]}"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
