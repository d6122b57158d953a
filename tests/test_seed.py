"""The seed key task (../shared/seeds), in its original format, checks as expected."""
import shutil

from conftest import CORPUS, need_shared
from pagetext import visible_text

SEED = CORPUS.parent / "seeds" / "key-task-1.6-define-target-performance-metrics.md"


def test_seed_task_loads_and_its_placeholders_are_flagged(site):
    need_shared(SEED, "the seed key task")
    shutil.copy(SEED, site.content / "phase1" / "1.6.md")
    msgs = [m for m in site.messages() if "placeholder" in m]
    assert msgs[0] == ("phase1/1.6.md:17: warning: activities[0].example: placeholder link 'www.example.com'; "
                       "replace it with the real address, or remove it")
    assert len(msgs) == 7
    assert site.build().ok()
    page = site.page("/1.6/")
    text = visible_text(page)
    assert "Define Target Performance Metrics" in text and "www.example.com (placeholder, not linked)" in text
    assert 'href="https://www.example.com' not in page and 'href="www.example.com' not in page
