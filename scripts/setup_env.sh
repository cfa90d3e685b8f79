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
# Debian libraries the OCR model's OpenCV needs (rapidocr_onnxruntime depends on the GUI build of
# opencv-python by name), and antiword to read legacy .doc files. Installed once, when missing.
apt_missing=()
ldconfig -p | grep -q "libGL.so.1 " || apt_missing+=(libgl1)
ldconfig -p | grep -q "libglib-2.0.so.0 " || apt_missing+=(libglib2.0-0)
command -v antiword >/dev/null || apt_missing+=(antiword)
if [ ${#apt_missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  echo "== installing ${apt_missing[*]} (Debian)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}"; } >/dev/null \
    || echo "   (could not install ${apt_missing[*]}: OCR and .doc reading may be unavailable)"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "== installing (first run takes a few minutes)"
  pip_install "torch==2.13.0"
  pip_install -e ".${extras:+[$extras]}"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
