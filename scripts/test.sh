#!/usr/bin/env bash
# The test suite: install with test extras, the Chinese font used to make test PDFs, then pytest.
source "$(dirname "$0")/setup_env.sh" test
if ! fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk" && [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
  echo "== installing a Chinese font for test PDFs (Debian fonts-wqy-microhei)"
  apt-get update -qq >/dev/null && apt-get install -y -qq fonts-wqy-microhei >/dev/null
fi
python -m pytest "$@"
