"""pa11y-ci, with both its runners (HTML_CodeSniffer and axe), finds no error on any page type (issue 18).

One pa11y-ci run over one page of each type of the bundled and the corpus
build, served gzipped, in Debian's Chromium (pa11y's Puppeteer never downloads
a browser: PUPPETEER_SKIP_DOWNLOAD and the executablePath below). Issues that
axe marks "needs review" count as errors, pa11y's default.
"""
from __future__ import annotations

import json
import subprocess

from conftest import CHROMIUM

from .conftest import RESULTS, node_tool, tool_env, typed_pages


def test_pa11y_ci_finds_no_error_on_any_page_type(web_sites, tmp_path):
    pa11y_ci = node_tool("pa11y-ci")
    urls = {web_sites[site].url(path): f"{site} {kind}" for site, kind, path in typed_pages()}
    report_file = tmp_path / "report.json"  # a file: pa11y-ci cuts JSON written to a pipe at 64 kB
    config = {
        "defaults": {
            "reporters": [["json", {"fileName": str(report_file)}]],
            "runners": ["htmlcs", "axe"], "standard": "WCAG2AA", "timeout": 120_000,
            "chromeLaunchConfig": {"executablePath": CHROMIUM,
                                   "args": ["--no-sandbox", "--headless=new", "--disable-gpu",
                                            "--disable-dev-shm-usage"]},
        },
        "urls": list(urls),
    }
    path = tmp_path / "pa11y-ci.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run([str(pa11y_ci), "--config", str(path)], capture_output=True, text=True,
                          timeout=1200, env=tool_env(), stdin=subprocess.DEVNULL)
    assert report_file.is_file(), (done.stdout + done.stderr)[-3000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pa11y-ci.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    assert report["total"] == len(urls), report
    problems = [f"{urls.get(url, url)}: {issue['runner']} {issue['code']}: {issue['message']} at {issue['context'][:120]}"
                for url, issues in report["results"].items() for issue in issues
                if isinstance(issue, dict) and issue.get("type") == "error"]
    failed_to_run = [f"{urls.get(url, url)}: {issue}" for url, issues in report["results"].items()
                     for issue in issues if not isinstance(issue, dict)]
    assert failed_to_run == [] and problems == [], "\n".join(failed_to_run + problems)
    assert report["errors"] == 0 and done.returncode == 0
