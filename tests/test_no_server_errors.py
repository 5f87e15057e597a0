"""Input a person or a probe can send that once answered 500: dates past the calendar's
limits, NUL and non-ASCII bytes in the path, ids written with other digits or leading
zeros, and two people changing and deleting the same record at the same moment."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.conftest import owner_engine
from tests.exchange_records import exchange_data, records  # noqa: F401 — fixture

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


@pytest.mark.parametrize("query, field, message", [
    ("from=0001-01-01", "from", "Enter a date between 1900 and 2999."),
    ("to=9999-12-31", "to", "Enter a date between 1900 and 2999."),
    ("from=2026-13-45", "from", "Enter a valid date."),
])
def test_audit_dates_outside_the_range_are_field_errors(admin, tenants, query, field, message):
    response = admin.get(f"/t/{tenants.a.slug}/audit/?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<small id="audit-{field}-error" class="field-error">{message}</small>' in page
    htmx = admin.get(f"/t/{tenants.a.slug}/audit/?{query}", headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and message in htmx.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/t/{slug}%00/", "/t/{slug}%00/tiers/", "/t/caf%C3%A9/", "/t/{slug}%C3%A9/tiers/",
    "/t/{slug}/tiers/{id0}", "/t/{slug}/tiers/{full}", "/t/{slug}/tiers/{arabic}",
    "/t/{slug}/tiers/{id}%00", "/t/{slug}/tiers/-{id}", "/t/{slug}/tiers/{id}.0",
    "/t/{slug}/exchanges/new?tiers=0{id}", "/t/{slug}/exchanges/new?tiers={full}",
])
def test_odd_bytes_and_digits_in_the_path_are_404(admin, tenants, records, path):  # noqa: F811
    tiers = str(records.a.tiers)
    url = path.format(slug=tenants.a.slug, id=tiers, id0=f"0{tiers}",
                      full=tiers.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                      arabic=tiers.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    assert admin.get(url).status_code == 404
    assert admin.get(f"/t/{tenants.a.slug}/tiers/{tiers}").status_code == 200  # the real one


def test_the_members_role_needs_its_field(admin, app, tenants):
    """A POST with only the CSRF token does not demote an admin to the default role."""
    response = admin.post(f"/t/{tenants.a.slug}/members/{tenants.a.admin_membership_id}/role",
                          data={})
    assert response.status_code == 422
    assert "admin" in role_of(tenants.a.id, tenants.a.admin_membership_id)


def role_of(tenant_id: int, membership_id: int) -> str:
    with owner_engine().connect() as conn:
        return conn.scalar(sa.text("SELECT role FROM memberships WHERE id = :m"),
                           {"m": membership_id})


@pytest.fixture
def deleted_meanwhile(app):
    """Another person deletes the row at the last moment: between the request reading
    it and writing it (another connection, its own transaction)."""
    armed: list[tuple[str, int]] = []

    def delete_first(session, flush_context, instances):
        while armed:
            table, row_id = armed.pop()
            with owner_engine().begin() as conn:
                conn.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})

    event.listen(Session, "before_flush", delete_first)
    yield armed.append
    event.remove(Session, "before_flush", delete_first)


def test_an_edit_of_a_record_deleted_meanwhile_says_so(admin, tenants, records,  # noqa: F811
                                                        deleted_meanwhile):
    a = records.a
    response = admin.post(f"/t/{a.slug}/exchanges/new", data=exchange_data(a))
    exchange_id = int(response.headers["Location"].rsplit("/", 1)[1])
    deleted_meanwhile(("exchanges", exchange_id))
    edited = admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/edit",
                        data=exchange_data(a, comment="Changed at the same moment"))
    assert edited.status_code == 409
    assert "changed or deleted this record at the same moment" in edited.get_data(as_text=True)
    assert admin.get(f"/t/{a.slug}/exchanges/{exchange_id}").status_code == 404
