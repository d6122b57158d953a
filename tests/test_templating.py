"""The renderer's Jinja environment: the same output and call semantics as Jinja's own, by cheaper paths."""
from __future__ import annotations

from collections import ChainMap

import jinja2
import pytest
from markupsafe import Markup

from playbook.render import templating


def env(**templates) -> templating.Environment:
    e = templating.Environment(loader=jinja2.DictLoader(templates), autoescape=True,
                               undefined=jinja2.StrictUndefined)
    return e


class _Html:
    def __html__(self):
        return "<i>safe</i>"


@pytest.mark.parametrize("value,shown", [
    ("a < b & 'c' \"d\"", "a &lt; b &amp; &#39;c&#39; &#34;d&#34;"),
    (Markup("<b>kept</b>"), "<b>kept</b>"),
    (_Html(), "<i>safe</i>"),
    (12, "12"),
    (-3, "-3"),
    (True, "True"),
    (1.5, "1.5"),
    (None, "None"),
])
def test_output_escape_writes_what_jinja_writes(value, shown):
    assert templating.output_escape(value) == shown
    assert jinja2.Environment(autoescape=True).from_string("{{ v }}").render(v=value) == shown
    assert env(t="{{ v }}").get_template("t").render(v=value) == shown


def test_output_escape_of_a_str_subclass_escapes_it():
    class Name(str):
        pass
    assert templating.output_escape(Name("<x>")) == "&lt;x&gt;"


def test_layouts_use_the_cheaper_escape():
    t = env(t="{{ v }}").get_template("t")
    assert t.root_render_func.__globals__["escape"] is templating.output_escape


def test_plain_functions_and_methods_are_called_without_a_context():
    class Obj:
        def twice(self, x, y=1):
            return x * 2 + y
    e = env(t="{{ f(2) }} {{ o.twice(3, y=4) }} {% for i in [1] %}{{ f(i) }}{{ d.get('k') }}{% endfor %}")
    e.globals.update(f=lambda x: x + 1, o=Obj(), d={"k": "v"})
    assert e.get_template("t").render() == "3 10 2v"


def test_functions_that_ask_for_a_context_still_get_it():
    @jinja2.pass_context
    def ctx(c, name):
        return c[name]

    @jinja2.pass_environment
    def environment(e, x):
        return type(e).__name__ + x

    @jinja2.pass_eval_context
    def evalctx(ec, x):
        return f"{ec.autoescape}{x}"

    class Bound:
        @jinja2.pass_context
        def method(self, c):
            return c["who"]

    class CallableWithContext:
        @jinja2.pass_context
        def __call__(self, c):
            return "called " + c["who"]

    e = env(t="{{ ctx('who') }} {{ environment('!') }} {{ evalctx('?') }} {{ b.method() }} {{ k() }}"
              "{% for w in ['loop'] %}{% set s = w %} {{ ctx('s') }}{% endfor %}")
    e.globals.update(ctx=ctx, environment=environment, evalctx=evalctx, b=Bound(), k=CallableWithContext())
    assert e.get_template("t").render(who="me") == "me Environment! True? me called me loop"


def test_a_callable_raising_stop_iteration_gives_undefined():
    def stop():
        raise StopIteration
    e = env(t="{{ stop() is undefined }}")
    e.globals["stop"] = stop
    assert e.get_template("t").render() == "True"


def test_macros_and_imports_work():
    e = env(m="{% macro hi(x) %}<b>{{ x }}</b>{% endmacro %}",
            t='{% from "m" import hi %}{{ hi("<x>") }}{% include "i" %}', i="[{{ g }}]")
    e.globals["g"] = "global"
    assert e.get_template("t").render() == "<b>&lt;x&gt;</b>[global]"


def test_templates_share_the_environment_globals_unless_given_their_own():
    e = env(t="{{ g }}")
    e.globals["g"] = 1
    t = e.get_template("t")
    assert t.globals is e.globals
    e.globals["g"] = 2  # serve swaps a new build's globals into the environment it keeps
    assert t.render() == "2"
    own = e.from_string("{{ g }} {{ h }}", globals={"h": 3})
    assert isinstance(own.globals, ChainMap) and own.render() == "2 3"
    assert "h" not in e.globals


def test_layouts_held_while_not_reloaded_are_read_again_once_reloading_is_back():
    layouts = {"t": "one"}
    e = env()
    e.loader = jinja2.DictLoader(layouts)
    e.auto_reload = False  # what a build does while it renders
    first = e.get_template("t")
    layouts["t"] = "two"
    assert e.get_template("t") is first and first.render() == "one"
    e.auto_reload = True  # serve, between builds
    assert e.get_template("t").render() == "two"
    layouts["t"] = "three"
    assert e.get_template("t").render() == "three"
    e.auto_reload = False
    assert e.get_template("t").render() == "three"
    assert e.get_template("t", globals={"x": 1}).render() == "three"


def test_an_import_compares_the_globals_of_both_layouts():
    e = env(m="{% macro hi() %}{{ g }}{% endmacro %}", n="{% macro hi() %}{{ g }} {{ h }}{% endmacro %}",
            t='{% from "m" import hi %}{{ hi() }}')
    e.globals["g"] = "env"
    assert e.get_template("t").render() == "env"
    own = e.from_string('{% from "n" import hi %}{{ hi() }}', globals={"h": "own"})
    assert own.render() == "env own"  # the imported layout is given the importer's globals it lacks
