#!/usr/bin/env bash
# Set up and run every test: the second command at the top of the README. The tests run in a
# virtualenv of the checkout's own (.venv), with the versions pyproject.toml allows, so nothing
# installed elsewhere on the machine takes part; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  bash scripts/system-deps.sh
fi
# browser tests, Lighthouse and pa11y-ci (its Puppeteer) use Debian's Chromium, never a download
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error
[ -x .venv/bin/python ] || python3 -m venv .venv
export PATH="$PWD/.venv/bin:$PATH"  # as if activated: the tests find actionlint and python3 there
python3 -m pip install -q -e '.[test]'
python3 -m pytest "$@"
