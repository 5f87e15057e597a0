"""Helpers shared by the account tests: row counts, messages as a page shows them,
field errors, and the links inside queued emails."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import select
from wtforms.i18n import get_translations

from ct.core.tenancy import ALL_TENANTS
from ct.extensions import db
from ct.models import OutboxEmail
from tests.conftest import owner_engine

PASSWORD = "correct horse battery"  # the password of the users made by the conftest fixtures
STRONG_PASSWORD = "une phrase facile a retenir"
NEW_PASSWORD = "another long sentence here"


def row_counts(app) -> dict[str, int]:
    """Rows of every table: equal before and after proves that nothing was written."""
    # The owner's connection: the app's role would see no tenant's rows here.
    with app.app_context(), owner_engine().connect() as conn:
        return {
            table.name: conn.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def message(app, text: str, lang: str = "fr", **values) -> str:
    """``text`` as a page in ``lang`` shows it: translated when the catalog has it, escaped.

    Assertions go through the catalog so that they keep proving the same thing once the
    French translations are complete.
    """
    with app.test_request_context(), force_locale(lang):
        return str(escape(gettext(text, **values)))


def wtforms_message(text: str, lang: str = "fr") -> str:
    """A message of WTForms itself (e.g. "Not a valid choice."), from its own catalog."""
    return str(escape(get_translations([lang]).gettext(text)))


def field_error(response, field_id: str) -> str | None:
    """The error shown next to the field ``field_id`` (see the ``field`` macro), if any."""
    pattern = rf'<small id="{field_id}-error" class="field-error">(.*?)</small>'
    found = re.search(pattern, response.get_data(as_text=True), re.S)
    return found.group(1) if found else None


def marked_invalid(response, field_id: str) -> bool:
    """Whether the input ``field_id`` is flagged invalid for assistive technologies."""
    html = response.get_data(as_text=True)
    return bool(re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="{field_id}"', html))


def html_lang(response) -> str | None:
    found = re.search(r'<html lang="([^"]*)">', response.get_data(as_text=True))
    return found.group(1) if found else None


def csrf_token_of(response) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert found, "the page has no CSRF token"
    return found.group(1)


def outbox(app, to: str | None = None, kind: str | None = None) -> list[OutboxEmail]:
    """Queued emails of every tenant (and of none), oldest first."""
    query = select(OutboxEmail).order_by(OutboxEmail.id).execution_options(**{ALL_TENANTS: True})
    if to is not None:
        query = query.where(OutboxEmail.to_email == to)
    if kind is not None:
        query = query.where(OutboxEmail.kind == kind)
    with app.app_context():
        emails = list(db.session.scalars(query))
        db.session.expunge_all()
        return emails


def link_in(email: OutboxEmail) -> str:
    """The path of the one link of an email (the app's BASE_URL is http://ct.test)."""
    links = set(re.findall(r"http://ct\.test(/\S+)", email.body_text))
    assert len(links) == 1, links
    return links.pop()


def is_logged_in(client) -> bool:
    return client.get("/account").status_code == 200
