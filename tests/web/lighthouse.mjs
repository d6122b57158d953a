// Lighthouse (mobile preset: the default config, simulated slow 4G and a 4x slower CPU) on each
// address given, in one Chromium started once: Debian's, never a downloaded one.
// Usage: node tests/web/lighthouse.mjs OUT.json URL...
// OUT.json gets, per address, the four category scores, the metrics and the bytes transferred.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [out, ...addresses] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"],
});
const results = {};
try {
  for (const url of addresses) {
    const run = await lighthouse(url, {
      port: chrome.port, output: "json", logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      // pictures of the page only feed the report's film strip; they cost seconds and no score
      skipAudits: ["full-page-screenshot", "screenshot-thumbnails", "final-screenshot"],
    });
    const lhr = run.lhr;
    const audits = lhr.audits;
    const failed = [];
    for (const cat of Object.values(lhr.categories)) {
      for (const ref of cat.auditRefs) {
        const a = audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          failed.push(`${cat.id}/${ref.id}: ${a.score}${a.displayValue ? " (" + a.displayValue + ")" : ""}`);
        }
      }
    }
    results[url] = {
      scores: Object.fromEntries(Object.entries(lhr.categories).map(([k, v]) => [k, Math.round(v.score * 100)])),
      fcp_ms: Math.round(audits["first-contentful-paint"].numericValue),
      lcp_ms: Math.round(audits["largest-contentful-paint"].numericValue),
      tbt_ms: Math.round(audits["total-blocking-time"].numericValue),
      cls: Math.round(audits["cumulative-layout-shift"].numericValue * 1000) / 1000,
      transfer_bytes: Math.round(audits["total-byte-weight"].numericValue),
      requests: audits["network-requests"].details.items.map((i) => [i.url, i.transferSize]),
      render_blocking: (audits["render-blocking-resources"].details?.items || []).map((i) => i.url),
      below_full_marks: failed,
      runtime_error: lhr.runtimeError ? lhr.runtimeError.message : null,
    };
    process.stderr.write(`${url}: ${JSON.stringify(results[url].scores)} cls ${results[url].cls}\n`);
  }
} finally {
  await chrome.kill();
}
fs.writeFileSync(out, JSON.stringify(results, null, 1) + "\n");
