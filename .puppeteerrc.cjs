// Puppeteer comes with pa11y-ci (tests/web/test_pa11y.py). It must never download a browser of its
// own, even on a plain `npm ci`: the tests drive Debian's Chromium.
module.exports = { skipDownload: true, executablePath: "/usr/bin/chromium" };
