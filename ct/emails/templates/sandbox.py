"""Rendering tenant-written templates safely, within bounds of time, size and work.

Anyone can sign up and write templates, and they render in web requests (previews, and
emails rendered when queued), so a template must not be able to hold a process:

- Jinja's immutable sandbox: no attribute starting with an underscore, no method that
  changes data, no globals (``range``, ``config``, ``lipsum``… are unknown), no other
  template to include or extend. The only names a template may use are the placeholders
  of its email, checked before anything is saved.
- No loops, no macros, no call blocks: placeholders are flat text, so a template needs
  conditions and values, never iteration; without them there is no recursion, and the work
  of a template grows with its length only.
- Every operator, method and filter is checked: numbers stay within ±2⁵³ (``9 ** 64``
  is refused before it is computed), widths within ``WIDTH_MAX`` (``center``,
  ``indent``, ``format``…), built values within ``RESULT_MAX`` characters, and only
  text methods and filters are callable.
- A per-render budget counts every character built and the time spent: past
  ``WORK_MAX`` characters or ``TIME_MAX`` seconds the render stops with a message.
"""

from __future__ import annotations

import math
import operator
import re
import time
from contextvars import ContextVar
from typing import Any

from flask_babel import gettext as _
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2 import filters as jinja_filters
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# Beyond this, a string built by a template is a mistake or an attack.
RESULT_MAX = 100_000
# An email body longer than this is refused (the editor's limit is far lower).
OUTPUT_MAX = 200_000
# What one render may build in all (characters), and for how long it may run.
WORK_MAX = 2_000_000
TIME_MAX = 0.5
NUMBER_MAX = 2**53
WIDTH_MAX = 1_000

_OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "//": operator.floordiv, "%": operator.mod, "**": operator.pow}
_STR_METHODS = frozenset({"upper", "lower", "title", "capitalize", "casefold", "swapcase",
                          "strip", "lstrip", "rstrip", "startswith", "endswith", "split",
                          "count", "find"})
_FILTERS = ("abs", "capitalize", "center", "default", "d", "escape", "e", "first", "float",
            "format", "indent", "int", "join", "last", "length", "count", "lower", "replace",
            "round", "string", "striptags", "title", "trim", "truncate", "upper", "wordcount",
            "wordwrap")
# A %-format's flags, width and precision: "%-08.3f", "%*d".
_PERCENT_SPEC = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORBIDDEN_NODES = (nodes.For, nodes.Macro, nodes.CallBlock)


class TemplateProblem(ValueError):
    """A template that cannot be saved: the message is for the person who typed it."""


class _Budget:
    def __init__(self) -> None:
        self.work = 0
        self.deadline = time.monotonic() + TIME_MAX

    def charge(self, characters: int) -> None:
        self.work += characters
        if self.work > WORK_MAX or time.monotonic() > self.deadline:
            raise SecurityError(_("The template takes too much work to render."))


_budget: ContextVar[_Budget] = ContextVar("template_budget")


def _checked(value: Any) -> Any:
    """A value a template built: within the bounds, and charged to the render."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value) or abs(value) > NUMBER_MAX:
            raise SecurityError(_("The number is too large."))
        return value
    if isinstance(value, str | list | tuple):
        if len(value) > RESULT_MAX:
            raise SecurityError(_("The text is too long."))
        _budget.get().charge(len(value))
    return value


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else len(str(value))


def _check_width(width: Any) -> None:
    if isinstance(width, int | float) and abs(width) > WIDTH_MAX:
        raise SecurityError(_("A width or length over %(max)d is not allowed.", max=WIDTH_MAX))


def _check_percent_format(spec: str) -> None:
    for match in _PERCENT_SPEC.finditer(spec):
        for width in match.groups():
            if width == "*":
                raise SecurityError(_("A width or length over %(max)d is not allowed.",
                                      max=WIDTH_MAX))
            if width:
                _check_width(int(width))


def _check_power(base: Any, exponent: Any) -> None:
    """Refuse a power whose result would pass NUMBER_MAX, before computing it."""
    if isinstance(base, int | float) and isinstance(exponent, int | float):
        if abs(base) > 1 and exponent > 0 and exponent * math.log2(abs(base)) > 53:
            raise SecurityError(_("The number is too large."))


def _estimate(name: str, value: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a filter call whose result would be too large, before making it."""
    for arg in (*args, *kwargs.values()):
        _check_width(arg)
    estimate = _size(value)
    if name == "indent":
        width = args[0] if args else 4  # spaces, or the text put before each line
        per_line = len(width) if isinstance(width, str) else int(width)
        estimate += (str(value).count("\n") + 1) * per_line
    elif name == "join" and isinstance(value, str | list | tuple):
        separator = str(args[0]) if args else ""
        estimate += len(value) * len(separator)
    elif name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        estimate += (str(value).count(old) if old else len(str(value)) + 1) * len(new)
    elif name == "format":
        _check_percent_format(str(value))
    elif name == "center":
        estimate += int(args[0] if args else 80)
    if estimate > RESULT_MAX:
        raise SecurityError(_("The text is too long."))


def _bounded_filter(name: str, func):
    def bounded(*args, **kwargs):
        # A filter's first argument is its value, after the environment or the context
        # for the filters that take one (escape and the others take none).
        passed = 1 if getattr(func, "jinja_pass_arg", None) else 0
        value, rest = args[passed], args[passed + 1:]
        _estimate(name, value, rest, kwargs)
        return _checked(func(*args, **kwargs))

    bounded.jinja_pass_arg = getattr(func, "jinja_pass_arg", None)
    return bounded


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(_OPERATORS)
    intercepted_unops = frozenset({"-", "+"})

    def call_binop(self, context, operator_name, left, right):
        for operand in (left, right):
            _checked(operand)
        if operator_name == "**":
            _check_power(left, right)
        elif operator_name == "*":
            for side, times in ((left, right), (right, left)):
                if isinstance(side, str | list | tuple) and isinstance(times, int):
                    if len(side) * times > RESULT_MAX:
                        raise SecurityError(_("The text is too long."))
        elif operator_name == "%" and isinstance(left, str):
            _check_percent_format(left)
        elif operator_name == "+" and isinstance(left, str) and isinstance(right, str):
            if len(left) + len(right) > RESULT_MAX:
                raise SecurityError(_("The text is too long."))
        return _checked(_OPERATORS[operator_name](left, right))

    def call_unop(self, context, operator_name, arg):
        return _checked(-arg if operator_name == "-" else +arg)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 — Jinja's signature
        name = getattr(__obj, "__name__", "")
        if not (isinstance(getattr(__obj, "__self__", None), str) and name in _STR_METHODS):
            raise SecurityError(_("%(name)s() is not available in a template.",
                                  name=name or "this"))
        for arg in args:
            _checked(arg)
        return _checked(super().call(__context, __obj, *args, **kwargs))


def _environment(html: bool) -> _Sandbox:
    env = _Sandbox(
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()  # not even range(): a template has its placeholders, nothing else
    env.filters = {name: _bounded_filter(name, jinja_filters.FILTERS[name])
                   for name in _FILTERS}
    return env


_TEXT = _environment(html=False)
_HTML = _environment(html=True)


def check(source: str, allowed: frozenset[str], html: bool, sample: dict) -> None:
    """Raise TemplateProblem unless ``source`` parses, uses only ``allowed`` names, and
    renders with the sample values within the bounds."""
    tree = _parse(source, html)
    unknown = sorted(meta.find_undeclared_variables(tree) - allowed)
    if unknown:
        raise TemplateProblem(
            _("Unknown placeholder: %(placeholder)s", placeholder=f"{{{{ {unknown[0]} }}}}")
        )
    try:
        render(source, sample, html)
    except TemplateProblem:
        raise
    except Exception as error:  # the sample values hit a runtime error: say which
        raise TemplateProblem(_("The template fails with the sample values: %(error)s",
                                error=_describe(error))) from None


def _parse(source: str, html: bool) -> nodes.Template:
    env = _HTML if html else _TEXT
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(
            _("Line %(line)d: %(message)s", line=error.lineno, message=error.message)
        ) from None
    except (RecursionError, ValueError):  # thousands of nested brackets, huge literals
        raise TemplateProblem(_("The template cannot be read: it is nested too deeply "
                                "or holds a number too large.")) from None
    if any(True for _node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                             nodes.FromImport))):
        raise TemplateProblem(_("A template cannot include, import or extend another one."))
    if any(True for _node in tree.find_all(_FORBIDDEN_NODES)):
        # Placeholders are flat text: loops and macros only multiply the work.
        raise TemplateProblem(_("Loops and macros are not available in a template."))
    return tree


def render(source: str, values: dict, html: bool) -> str:
    """``source`` rendered in the sandbox, within the bounds. Raises on any error
    (TemplateProblem for a template outside them; the caller falls back)."""
    tree = _parse(source, html)  # a template saved before a rule existed meets it here
    env = _HTML if html else _TEXT
    token = _budget.set(_Budget())
    try:
        pieces, length = [], 0
        for piece in env.from_string(tree).generate(values):
            length += len(piece)
            if length > OUTPUT_MAX:
                raise TemplateProblem(_("The email is too long."))
            _budget.get().charge(len(piece))
            pieces.append(piece)
        return "".join(pieces)
    except SecurityError as error:
        raise TemplateProblem(_describe(error)) from None
    finally:
        _budget.reset(token)


def _describe(error: Exception) -> str:
    if isinstance(error, SecurityError | TemplateError):
        return str(error.message or error)
    return f"{type(error).__name__}: {error}"
