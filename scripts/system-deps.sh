#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (needs root and apt-get).
# chromium: browser tests, Lighthouse and pa11y-ci; Pango and fonts: WeasyPrint's PDFs;
# poppler-utils: PDF pages to images; git: page dates from history; default-jre-headless: the
# W3C Nu HTML Checker (npm vnu-jar) in tests/web; ruby-html-proofer: the link check the M3 site
# runs, on the bundled build; python3-venv: the tests' virtualenv, when the python3 on the PATH is
# Debian's (which ships without venv's pip); npm: USWDS and the web checkers.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils git default-jre-headless \
    ruby-html-proofer; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
