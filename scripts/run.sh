#!/usr/bin/env bash
# The main job: install, prepare the embedding model, ingest corpus/, then serve the web app
# on http://127.0.0.1:7860 once it exists (until then: stop after the ingest summary).
source "$(dirname "$0")/setup_env.sh"
policyqa prepare
policyqa ingest corpus
if policyqa serve --help >/dev/null 2>&1; then
  exec policyqa serve --host 127.0.0.1 --port 7860
fi
