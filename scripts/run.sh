#!/usr/bin/env bash
# The main job: install, prepare the embedding model, ingest corpus/, serve http://127.0.0.1:7860.
source "$(dirname "$0")/setup_env.sh"
policyqa prepare
policyqa ingest corpus
exec policyqa serve --host 127.0.0.1 --port "${PORT:-7860}"
