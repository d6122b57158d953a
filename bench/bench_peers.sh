#!/usr/bin/env bash
# playbook beside Hugo and Jekyll, on the same key-task content, in one run of the peers' harness.
#
#   bash bench/bench_peers.sh            # copies 1 10 100 (Jekyll up to 10, as the harness does)
#   RUNS=5 bash bench/bench_peers.sh 1 10 100
#
# ../shared/bench-peers/run.sh writes K renumbered copies of ../shared/m3-corpus
# per size, builds them with Hugo, Jekyll and (as its CUSTOM_CMD peer)
# `playbook build --no-search`, times every build with /usr/bin/time and checks
# page and cross-link counts. summary.py then prints wall seconds, peak RSS,
# pages, ms per page and the ratios to Hugo; bench_search.py times the
# Pagefind index of the same outputs on its own.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/bench-peers}
# the interpreter itself: a version manager's shim (pyenv) adds ~100 ms a start
PY=$(python3 -c 'import sys; print(sys.executable)')
export WORK=${WORK:-${TMPDIR:-/tmp}/m3bench}
export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
export PLAYBOOK_USWDS=${PLAYBOOK_USWDS:-$ROOT/node_modules/@uswds/uswds/dist}
export CUSTOM_CMD=${CUSTOM_CMD:-"$PY -m playbook build content -o out --no-search --quiet"}
SIZES=${*:-1 10 100}
# an installed package carries compiled bytecode; a checkout run with PYTHONDONTWRITEBYTECODE=1
# (as on the benchmark VM) would otherwise compile every module on every build
"$PY" -m compileall -q "$ROOT/playbook" >/dev/null
# shellcheck disable=SC2086
bash "$PEERS_DIR/run.sh" $SIZES
"$PY" "$HERE/summary.py" "$WORK"
"$PY" "$HERE/bench_search.py" "$WORK" $SIZES
