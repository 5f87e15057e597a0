"""The emails of ct: their wording (the default, or the company's own), rendered safely.

Each email has three parts per language — subject, text body, HTML body — written as
Jinja templates over a documented list of placeholders (``catalog.KINDS``). The defaults
ship in ``defaults/<language>/``; a company may replace them (``EmailTemplate``), and its
templates run in a sandbox (``sandbox``). The HTML body is a fragment: ct wraps it in
``templates/email/_layout.html``.

An email is rendered once, when it is queued: the outbox keeps it exactly as sent, so a
template edited later — even broken — changes nothing for messages already waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from ct.core.tenancy import current_tenant_id
from ct.emails.templates import sandbox
from ct.emails.templates.catalog import EDITABLE, KINDS, EmailKind
from ct.emails.templates.sandbox import TemplateProblem
from ct.models.email_template import EmailTemplate

log = logging.getLogger(__name__)

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
SUBJECT_LENGTH = 255  # the outbox column

__all__ = ["EDITABLE", "KINDS", "Parts", "Rendered", "TemplateProblem", "check_parts",
           "current_parts", "default_parts", "language_of", "preview", "render_email"]


@dataclass(frozen=True)
class Parts:
    """The three templates of one email in one language (sources, not output)."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def language_of(language: str | None) -> str:
    """One of ct's languages: ``language`` if ct speaks it, else the default (French)."""
    if language in current_app.config["LANGUAGES"]:
        return language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@cache
def default_parts(name: str, language: str) -> Parts:
    folder = DEFAULTS_DIR / language
    return Parts(
        subject=(folder / f"{name}.subject.txt").read_text(encoding="utf-8"),
        text=(folder / f"{name}.txt").read_text(encoding="utf-8"),
        html=(folder / f"{name}.html").read_text(encoding="utf-8"),
    )


def current_parts(kind: EmailKind, language: str) -> tuple[Parts, EmailTemplate | None]:
    """The bound tenant's wording if it has one, else the default."""
    custom = _custom_row(kind, language)
    if custom is None:
        return default_parts(kind.name, language), None
    return Parts(custom.subject, custom.body_text, custom.body_html), custom


def _custom_row(kind: EmailKind, language: str) -> EmailTemplate | None:
    if not kind.editable or current_tenant_id() is None:
        return None
    return EmailTemplate.find(kind.name, language)


def render_email(name: str, language: str | None, context: dict) -> Rendered:
    """The email ``name`` for a reader of ``language``, with the company's wording.

    A company template that fails now (a runtime error its sample values did not show)
    is logged and the default wording is used: an email is never lost to a template.
    """
    kind = KINDS[name]
    language = language_of(language)
    with force_locale(language):
        values = kind.values(context)
        custom = _custom_row(kind, language)
        if custom is not None:
            try:
                return _render(Parts(custom.subject, custom.body_text, custom.body_html),
                               values)
            except Exception:
                log.warning("template %s (%s) of tenant %s failed; the default is used",
                            name, language, custom.tenant_id, exc_info=True)
        return _render(default_parts(name, language), values)


def _render(parts: Parts, values: dict) -> Rendered:
    subject = " ".join(sandbox.render(parts.subject, values, html=False).split())
    text = sandbox.render(parts.text, values, html=False)
    body = sandbox.render(parts.html, values, html=True)
    html = render_template("email/_layout.html", body=Markup(body), subject=subject)
    return Rendered(subject[:SUBJECT_LENGTH], text, html)


def check_parts(kind: EmailKind, language: str, parts: Parts) -> dict[str, str]:
    """What is wrong with each part, by form field; empty when all three are usable."""
    errors: dict[str, str] = {}
    with force_locale(language):
        sample = kind.sample_values()
        for field, source, html in (("subject", parts.subject, False),
                                    ("body_text", parts.text, False),
                                    ("body_html", parts.html, True)):
            try:
                sandbox.check(source, kind.names, html, sample)
            except TemplateProblem as problem:
                errors[field] = str(problem)
    return errors


def preview(kind: EmailKind, language: str, parts: Parts) -> Rendered:
    """The email with sample values (the parts must have passed ``check_parts``)."""
    with force_locale(language):
        return _render(parts, kind.sample_values())
