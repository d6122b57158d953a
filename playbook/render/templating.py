"""The Jinja environment layouts run in: Jinja's own, with cheaper globals, calls and escapes.

Rendering a key task page makes about a hundred calls from layouts into
Python, writes two hundred escaped values and opens a dozen template contexts
(includes, macros). Jinja's general machinery for these was a third of the
page's rendering time; the classes here do the same work for the cases our
layouts meet, and hand everything else to Jinja. The output is the same text.
"""
from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType

import jinja2
from jinja2.runtime import Context
from markupsafe import Markup, escape

try:  # the C function markupsafe's escape wraps; its pure-Python twin if the build has none
    from markupsafe import _escape_inner as _escape_str
except ImportError:  # pragma: no cover - markupsafe's layout changed: still correct, only slower
    def _escape_str(s: str) -> str:
        return str(escape(s))

_new_str = str.__new__


def output_escape(value) -> str:
    """A value as written into a page by ``{{ ... }}``: markup as it is, anything else escaped.

    Jinja's compiled layouts call ``escape`` only on what they output, and join
    the results as plain text, so the text need not be wrapped as Markup again
    (markupsafe's ``escape`` does that in Python, twice for markup).
    """
    kind = type(value)
    if kind is str:
        return _escape_str(value)
    if kind is Markup:
        return value
    if kind is int:  # phase numbers, counts: digits need no escaping
        return str(value)
    return escape(value)


def markup(text: str) -> Markup:
    """Text that is already safe HTML, as Markup, without markupsafe's Python-level checks.

    For the pieces our own code writes (every value in them escaped or
    sanitised); ``Markup(text)`` asks each one again whether it has ``__html__``.
    """
    return _new_str(Markup, text)


class FastContext(Context):
    """Jinja's context whose calls go straight to plain functions and methods.

    Jinja asks every callable, on every call, whether it wants the context,
    the evaluation context or the environment passed in: three attribute
    probes, and a probe that misses on a bound method costs as much as the
    call (Python formats the error message). A function says so only by its
    ``jinja_pass_arg`` attribute, a method by its function's, and a built-in
    cannot carry one, so one probe of the function decides it; other
    callables (macros, callable objects) take Jinja's own way.
    """

    def __init__(self, environment, parent, name, blocks, globals=None):
        super().__init__(environment, parent, name, blocks)
        if globals is not None:
            # Jinja copies the globals' names into a set for every context (every page, include
            # and import) to compare with an imported layout's; a view of them compares the same
            self.globals_keys = globals.keys()

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature: callers may pass 'self'
        """Call ``__obj`` with the arguments a layout gave (see :meth:`jinja2.runtime.Context.call`)."""
        kind = type(__obj)
        if kind is MethodType:
            func = __obj.__func__
            direct = type(func) is FunctionType and not hasattr(func, "jinja_pass_arg")
        elif kind is FunctionType:
            direct = not hasattr(__obj, "jinja_pass_arg")
        else:
            direct = kind is BuiltinFunctionType
        if not direct:
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


class FastTemplate(jinja2.Template):
    """A compiled layout whose output escapes go through :func:`output_escape`."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        # the layout's functions look 'escape' up in this namespace each time they run
        namespace["escape"] = output_escape
        return super()._from_namespace(environment, namespace, globals)


class Environment(jinja2.Environment):
    """Jinja's environment with :class:`FastContext`, :class:`FastTemplate`, shared globals and,
    while layouts are not read again, a plain dict of the loaded ones."""

    context_class = FastContext
    template_class = FastTemplate

    @property
    def auto_reload(self) -> bool:
        """Whether a layout is read again when its file changed (Jinja's setting; a build turns it off)."""
        return self._auto_reload

    @auto_reload.setter
    def auto_reload(self, value: bool) -> None:
        self._auto_reload = value
        self._loaded: dict = {}

    def _load_template(self, name, globals):
        # while layouts are not read again, a dict holds them: Jinja's own cache takes a lock
        # and reorders a queue for each of the dozen includes and imports of every page
        if globals or self._auto_reload:
            return super()._load_template(name, globals)
        key = (self.loader, name)
        got = self._loaded.get(key)
        if got is None:
            got = self._loaded[key] = super()._load_template(name, globals)
        return got

    def make_globals(self, d):
        """The globals of a template: the environment's own dict when the template adds none.

        Jinja wraps them in a ChainMap over the environment's, which every
        context, include and import then copies or compares key by key in
        Python; the plain dict is copied and compared in C. Our layouts never
        add globals of their own, and nothing writes into a template's.
        """
        if not d:
            return self.globals
        return super().make_globals(d)
