"""The folded sections of the exchange form: closed on opening, each summary line saying
what it holds; sent back with an error inside, a section comes open with the message next
to its field (the others stay folded); a follow-up switched on comes back open."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest

from tests.exchange_records import exchange_data, records, set_settings  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def section(html: str, name: str) -> tuple[bool, str, str]:
    """Whether the section is open, its summary's value, and its whole markup."""
    match = re.search(rf'<details id="section-{name}"[^>]*>.*?</details>', html, re.S)
    assert match, f"no section {name}"
    markup = match.group(0)
    opening = markup[:markup.index(">") + 1]
    value = re.search(r"data-section-value>(.*?)</span>", markup, re.S).group(1).strip()
    return " open" in opening, value, markup


def test_the_form_opens_folded_with_what_each_section_holds(app, client, admin, records):
    set_settings(app, admin.id, choose_user=True)
    a = records.a
    html = client.get(f"/t/{admin.slug}/exchanges/new?tiers={a.tiers}&document={a.document}"
                      f"&project={a.project}").get_data(as_text=True)
    opened, value, _ = section(html, "when")
    assert not opened and re.fullmatch(r"today at \d{1,2}:\d\d\s?[AP]M, me", value), value
    opened, value, _ = section(html, "links")
    assert not opened and "DEV-001" in value and "PRJ-1" in value
    for name in ("task", "event"):
        assert section(html, name)[:2] == (False, "none")
    assert 'data-switch="add_task"' in html  # opening it switches the task on (app.js)


@pytest.mark.parametrize(("changes", "name", "message"), [
    ({"occurred_at": ""}, "when", "Give the date and time."),
    ({"document_id": "other"}, "links", "This document belongs to another third party."),
    ({"add_task": "y", "task_label": ""}, "task", "Give the task a label."),
    ({"add_event": "y", "event_title": "Visit"}, "event", "Give the start of the event."),
])
def test_an_error_in_a_folded_section_opens_it(client, admin, records, changes, name, message):
    a = records.a
    if changes.get("document_id") == "other":
        changes = {"document_id": str(a.other_document)}
    response = client.post(f"/t/{admin.slug}/exchanges/new", data=exchange_data(a, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    opened, _value, markup = section(html, name)
    assert opened and message in markup
    others = {"when", "links", "task", "event"} - {name}
    assert [n for n in sorted(others) if section(html, n)[0]] == []


def test_a_switched_on_follow_up_and_the_collaborators_say_their_values(app, client, admin,
                                                                       records):
    a = records.a
    response = client.post(f"/t/{admin.slug}/exchanges/new", data=exchange_data(
        a, tiers_id="", add_task="y", task_label="Send the new quote",
        collaborator_ids=[str(a.member)], notify_collaborators="y"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert section(html, "task")[:2] == (True, "Send the new quote")  # on: comes back open
    opened, value, _ = section(html, "team")
    assert not opened and value.endswith(", notified by email")
    assert section(html, "event")[:2] == (False, "none")
