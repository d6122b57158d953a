#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing (needs root and apt-get).
# chromium: browser tests; Pango and fonts: WeasyPrint's PDFs; poppler-utils: PDF pages to
# images; git: page dates from history; ruby-html-proofer: the link check the M3 site runs, on the bundled build.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for pkg in chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils git ruby-html-proofer; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
