#!/usr/bin/env bash
# The test suite: install with test extras, the Chinese font used to make test PDFs, then pytest.
source "$(dirname "$0")/setup_env.sh" test
# Debian packages the tests use: a Chinese font to make test PDFs, chromium for the browser tests.
missing=()
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (Debian)"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python -m pytest "$@"
