"""The progress bar: drawn only on a terminal, outside CI, after about a second."""
from __future__ import annotations

import io

from playbook import cli as progress


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_not_wanted_in_ci_or_off_terminal(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted(Tty())
    monkeypatch.delenv("CI")
    assert progress.wanted(Tty())
    assert not progress.wanted(io.StringIO())


def test_bar_draws_only_after_delay_and_clears(monkeypatch):
    out = Tty()
    bar = progress.Bar("rendering", stream=out, enabled=True)
    bar(1, 10)
    assert out.getvalue() == ""  # under a second: nothing
    bar.start -= 2
    bar(5, 10)
    assert out.getvalue() == "\rrendering [###############...............] 5/10"
    bar.close()
    assert out.getvalue().endswith("\r\x1b[K")


def test_disabled_bar_writes_nothing():
    out = Tty()
    bar = progress.Bar(stream=out, enabled=False)
    bar.start -= 5
    bar(10, 10)
    bar.close()
    assert out.getvalue() == ""
