"""Rendering tenant-written templates safely.

Templates typed by a tenant run in Jinja's immutable sandbox: no attribute starting with
an underscore, no method that changes data, no globals (``range``, ``config``,
``lipsum``… are unknown), no other template to include or extend, no operation that
builds a huge value (``'x' * 10**9``), no loop inside a loop. The only names a template
may use are the placeholders of its email, checked before anything is saved.
"""

from __future__ import annotations

import operator

from flask_babel import gettext as _
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# Beyond this, a number or a string built by a template is a mistake or an attack.
RESULT_MAX = 100_000
# An email body longer than this is refused (the editor's limit is far lower).
OUTPUT_MAX = 200_000


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError(_("The number is too large."))
            return operator.pow(left, right)
        for side, times in ((left, right), (right, left)):
            if isinstance(side, str | list | tuple) and isinstance(times, int):
                if len(side) * times > RESULT_MAX:
                    raise SecurityError(_("The text is too long."))
        return operator.mul(left, right)


def _environment(html: bool) -> _Sandbox:
    env = _Sandbox(
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()  # not even range(): a template has its placeholders, nothing else
    return env


_TEXT = _environment(html=False)
_HTML = _environment(html=True)


class TemplateProblem(ValueError):
    """A template that cannot be saved: the message is for the person who typed it."""


def check(source: str, allowed: frozenset[str], html: bool, sample: dict) -> None:
    """Raise TemplateProblem unless ``source`` parses, uses only ``allowed`` names, and
    renders with the sample values."""
    env = _HTML if html else _TEXT
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as error:
        raise TemplateProblem(
            _("Line %(line)d: %(message)s", line=error.lineno, message=error.message)
        ) from None
    if list(meta.find_referenced_templates(tree)) or _has_includes(tree):
        raise TemplateProblem(_("A template cannot include, import or extend another one."))
    if _has_nested_loops(tree):
        # Placeholders are flat text: a loop in a loop only multiplies the work.
        raise TemplateProblem(_("Loops cannot be nested."))
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


def _has_includes(tree: nodes.Template) -> bool:
    return any(True for _node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                                 nodes.FromImport)))


def _has_nested_loops(tree: nodes.Template) -> bool:
    return any(True for loop in tree.find_all(nodes.For) for _inner in loop.find_all(nodes.For))


def render(source: str, values: dict, html: bool) -> str:
    """``source`` rendered in the sandbox. Raises on any error (the caller falls back)."""
    env = _HTML if html else _TEXT
    output = env.from_string(source).render(values)
    if len(output) > OUTPUT_MAX:
        raise TemplateProblem(_("The email is too long."))
    return output


def _describe(error: Exception) -> str:
    if isinstance(error, SecurityError | TemplateError):
        return str(error.message or error)
    return f"{type(error).__name__}: {error}"
