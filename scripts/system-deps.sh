#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (needs root and apt-get).
# chromium: browser tests, Lighthouse and pa11y-ci; Pango and fonts: WeasyPrint's PDFs;
# poppler-utils: PDF pages to images; git: page dates from history; default-jre-headless: the
# W3C Nu HTML Checker (npm vnu-jar) in tests/web.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils git default-jre-headless; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
