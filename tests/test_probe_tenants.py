"""Company A probing company B through every route of the URL map.

Company B has one row of every tenant table, each with an id no other row uses (see
tests/probe_support.py). A member of company A then tries every rule and every method:
with B's ids in the URL (404), and on A's own pages with each of B's ids in every query
and form field that takes an id (404 or a field error). Nothing may change in the
database, no page may show B's data, nothing may fail with a 5xx. The walk reads the
URL map and records which fields each view reads, so a route or a field added later is
probed too — and a URL parameter or field it cannot classify fails the test by name.
"""

from __future__ import annotations

import itertools
import re

import flask
import pytest
from werkzeug.datastructures import MultiDict

from tests.api_support import bearer, issue_token
from tests.probe_support import (
    ROW_ARGS,
    SECRET,
    RecordingRequest,
    baseline,
    build_url,
    changed_tables,
    error_flashed,
    fields_read,
    fingerprint,
    global_rules,
    known_values,
    page_forms,
    page_text,
    points_to,
    populate,
    probing_company,
    refused,
    tenant_rules,
    url_values,
)

# Query and form fields that take the id of a row, and the type of that row. Each is
# sent B's row of that type, then B's row of another type (an id A has in no table).
# Any other field a view reads must be listed in PLAIN_FIELDS.
ID_FIELDS = {
    "assignee": "membership", "assignees": "membership", "collaborator_ids": "membership",
    "confidential_group_id": "group", "contact": "contact", "contact_ids": "contact",
    "created_contact": "contact", "created_tiers": "tiers",
    "contacts": "contact", "document": "document", "document_id": "document",
    "event_assignee_ids": "membership", "ids": "exchange", "kind": "document_kind",
    "kind_id": "document_kind", "made_by_id": "membership", "member": "membership",
    "membership_id": "membership", "mention_ids": "membership", "mode": "mode",
    "mode_id": "mode", "object": "object",
    "object_id": "object", "product_id": "product", "product_ids": "product",
    "project": "project", "project_id": "project", "rep": "membership",
    "sales_rep_id": "membership", "task_assignee_id": "membership",
    "task_project_id": "project", "tiers": "tiers", "tiers_id": "tiers",
    "plan-mode_id": "mode", "plan-made_by_id": "membership",
    "remove_attachment_ids": "attachment",
}
# The same names used for words by some views: (endpoint, field).
WORDS_THERE = {("imports.start", "mode"), ("imports.upload", "kind"), ("tiers.tab_bar", "tab")}
# Fields that take text, dates, flags, words or positions: no id to forge. Digits in a
# name stand for any number (settings-list entries are named after their id).
PLAIN_FIELDS = {
    "action", "active", "add_event", "add_task", "after", "all", "all_day", "amount", "back",
    "blank", "body_html", "body_text", "button_mode", "choose_user", "collaborators",
    "comment", "confidential_comment", "confidential_comments", "confirm_duplicate",
    "confirmed", "country", "csrf_token", "cursor", "customer_code", "daily_digest", "date",
    "date_from", "date_to", "description", "dir", "direction", "done", "due_date", "email",
    "email-N-label", "ends_at", "entry-N-label", "entry-N-label_en", "event_end",
    "event_location", "event_reminder_amount", "event_reminder_unit", "event_start",
    "event_title", "file", "first_name", "form_token", "hidden_button_pages", "in_dialog",
    "job_title", "label", "large_contacts_threshold", "last_name", "location", "mentions",
    "mobile", "month",
    "mode-import-lines", "mode-new-label", "name", "next", "notes", "notify_collaborators",
    "object-import-lines", "object-new-label", "occurred_at", "past_after", "phone",
    "postcode", "preset", "price", "q", "reference", "refresh", "reminder_unit", "reminder_value",
    "rights", "role", "sep", "shorten_descriptions", "shorten_length", "show_project",
    "sort", "start", "starts_at", "status", "street", "subject", "task_due_date",
    "task_label", "tiers_locked", "tiers_q", "contacts_q", "title", "to", "town", "website",
    "when", "who", "widget_days", "kinds", "document-import-lines", "document-new-label",
    "status-import-lines", "status-new-label", "from", "type", "move", "shown", "company_name",
    "project_id_q", "project_q", "task_project_id_q", "before", "url", "events",
    "in_list", "plan_next_days", "plan-day", "plan-form_token", "plan-note", "plan-what",
    "attachments",
}
DESTRUCTIVE = ("delete", "remove", "deactivate", "close", "cancel", "revoke", "reset")
# Sub-forms of the exchange form (new tiers / new contact swapped in), the home widgets' order.
PLAIN_PREFIXES = ("new_tiers-", "new_contact-", "position_")
# The types a field can point to; the other rows (outbox, audit...) are never linked.
TARGET_TYPES = ("membership", "group", "mode", "object", "document_kind", "status_choice",
                "tiers", "contact", "document", "product", "project", "task", "event",
                "exchange", "attachment")


def _field_class(endpoint: str, name: str) -> str:
    if (endpoint, name) in WORDS_THERE:
        return "plain"
    if name in ID_FIELDS:
        return "id"
    if re.sub(r"\d+", "N", name) in PLAIN_FIELDS or name.startswith(PLAIN_PREFIXES):
        return "plain"
    raise AssertionError(
        f"the probe does not know the field {name!r} of {endpoint}: add it to ID_FIELDS (it "
        "takes the id of a row) or PLAIN_FIELDS in tests/test_probe_tenants.py")


def _no_leak(response, where: str) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert SECRET.encode() not in response.data, f"{where}: shows company B's data"


@pytest.fixture
def probe(app, client, auth, tenants):
    """Company A (ids from 800,001) and company B (from 900,001), fully populated; A's
    admin logged in; the views' reads recorded."""
    own = probing_company(app, tenants.a)
    other = populate(app, tenants.b)
    auth.login(tenants.a.admin_email)
    app.request_class = RecordingRequest
    yield own, other
    app.request_class = flask.Request


def test_the_walk_knows_every_url_parameter(app):
    """Fails by name when a new route has a parameter the probe cannot fill."""
    class Named:
        slug, template, ids = "x", ("n", "fr"), {t: 1 for t in set(ROW_ARGS.values())}
    rules = list(tenant_rules(app))
    assert len(rules) >= 100
    for rule, _methods in rules:
        url_values(rule, Named)


# Pages that name their record in the query string (404 without it).
NEED_A_RECORD = {"exchange_list.history"}


def test_another_tenants_address_is_404(app, client, probe):
    """Every page and action of company B (its slug, its ids) is 404 for A's admin, as
    for an unknown company, while A's own pages answer."""
    own, other = probe
    before = fingerprint(app)
    for rule, methods in tenant_rules(app):
        for method in methods:
            url = build_url(rule, url_values(rule, other))
            response = client.open(url, method=method, data={} if method != "GET" else None)
            _no_leak(response, f"{method} {url}")
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
            if method == "GET" and rule.arguments == {"slug"} and \
                    rule.endpoint not in NEED_A_RECORD:
                url = build_url(rule, {"slug": own.slug})
                assert client.get(url).status_code == 200, url
    assert client.get(f"/t/{other.slug}-x/").status_code == 404
    assert changed_tables(before, fingerprint(app)) == []


def test_another_tenants_ids_in_the_url_are_404(app, client, probe):
    own, other = probe
    before = fingerprint(app)
    probed = 0
    for rule, methods in tenant_rules(app):
        id_args = sorted(set(rule.arguments) & set(ROW_ARGS))
        # Every mix with at least one of B's ids: /groups/<A's>/members/<B's>/remove too.
        mixes = [set(c) for n in range(1, len(id_args) + 1)
                 for c in itertools.combinations(id_args, n)]
        for use_other, method in itertools.product(mixes, methods):
            url = build_url(rule, url_values(rule, own, other, use_other))
            data = {name: other.ids["tiers"] for name in ("tiers_id", "tiers")}
            response = client.open(url, method=method,
                                   data=data if method != "GET" else None)
            where = f"{method} {url} ({rule.endpoint})"
            _no_leak(response, where)
            assert response.status_code == 404, f"{where}: {response.status_code}"
            probed += 1
    assert probed >= 70
    assert changed_tables(before, fingerprint(app)) == []


def _form_on_pages(client, own_pages: list[str], action: str):
    """The form of A's pages that posts to ``action``."""
    for page in own_pages:
        for form in page_forms(page_text(client, page)):
            if form.method == "post" and form.action == action:
                return form
    return None


def _discover(app, client, own, other) -> dict:
    """What each route reads, found by using A's own pages as a person would: for every
    rule and method, the fields read and (for a POST) the form of A's page that posts
    there, filled in. These requests save, change and delete A's rows at will."""
    rules = list(tenant_rules(app))
    own_pages = [build_url(rule, url_values(rule, own))
                 for rule, methods in rules if "GET" in methods]
    forms, every_form = {}, []
    for page in own_pages:
        for form in page_forms(page_text(client, page)):
            every_form.append(form)
            if form.method == "post":
                for target in form.targets:
                    forms.setdefault(target, form)
    known = known_values(every_form)
    found = {}
    # Destructive actions last, so that the forms after them still find their rows.
    ordered = sorted(rules, key=lambda r: any(w in r[0].endpoint for w in DESTRUCTIVE))
    for rule, methods in ordered:
        url = build_url(rule, url_values(rule, own))
        for method in methods:
            if method == "GET":
                names, _response = fields_read(client, "GET", url)
                found[rule.endpoint, method] = (url, names, [])
                continue
            form = forms.get(url)
            sent = baseline(form, known) if form else [("_probe", "1")]
            names, _response = fields_read(client, method, url, data=MultiDict(sent))
            names = list(dict.fromkeys(names + [n for n, _ in sent if n != "_probe"]))
            found[rule.endpoint, method] = (url, names, [p for p in sent if p[0] != "_probe"])
    return found


def _start_again(app, client, tenants):
    """Empty tables, then the same companies with the same ids."""
    from tests.conftest import _empty_tables, make_tenant

    with app.app_context():
        flask.current_app  # noqa: B018 - inside the app context
        _empty_tables()
        a = make_tenant("Alpha Conseil", "alice@alpha.fr", "arthur@alpha.fr")
        b = make_tenant("Beta Industrie", "bob@beta.fr", "berthe@beta.fr")
    assert (a.id, b.id) == (tenants.a.id, tenants.b.id)
    own = probing_company(app, tenants.a)
    other = populate(app, tenants.b)
    client.post("/login", data={"email": tenants.a.admin_email,
                                "password": "correct horse battery"})
    return own, other


def test_another_tenants_ids_in_fields_arerefused(app, client, tenants, probe):
    own, other = probe
    found = _discover(app, client, own, other)
    unknown = set()
    for (endpoint, _method), (_url, names, _sent) in found.items():
        for name in names:
            try:
                _field_class(endpoint, name)
            except AssertionError:
                unknown.add((endpoint, name))
    assert not unknown, (
        f"fields the probe does not know (add each to ID_FIELDS or PLAIN_FIELDS): "
        f"{sorted(unknown)}")
    own, other = _start_again(app, client, tenants)
    forged_gets = forged_posts = ignored = 0
    before = fingerprint(app)
    for (endpoint, method), (url, names, sent) in sorted(found.items()):
        for name in names:
            if _field_class(endpoint, name) != "id":
                continue
            kind = ID_FIELDS[name]
            wrong = TARGET_TYPES[(TARGET_TYPES.index(kind) + 1) % len(TARGET_TYPES)]
            for value in (other.ids[kind], other.ids[wrong]):
                where = f"{method} {url} ({endpoint}) with {name}={value}"
                if method == "GET":
                    response = client.get(url, query_string={name: value})
                    _no_leak(response, where)
                    forged_gets += 1
                    continue
                forged = [(n, v) for n, v in sent if n != name] + [(name, str(value))]
                response = client.open(url, method=method, data=MultiDict(forged))
                _no_leak(response, where)
                if any(n == name for n, _ in sent) or not sent:
                    assert refused(client, response), f"{where}: {response.status_code}"
                    forged_posts += 1
                else:
                    # A field the view reads but A's page does not offer (a part turned
                    # off): it may be ignored — A's form is then saved — but never used.
                    error_flashed(client)
                    assert points_to(app, own.tenant_id, other.all_ids) == [], where
                    ignored += 1
                    before = fingerprint(app)
            if method != "GET":
                after = fingerprint(app)
                assert changed_tables(before, after) == [], (
                    f"{method} {url} ({endpoint}): B's ids in {name} wrote to "
                    f"{changed_tables(before, after)}")
    assert changed_tables(before, fingerprint(app)) == []
    assert forged_gets >= 50 and forged_posts >= 100, (forged_gets, forged_posts, ignored)


# --- Anonymous visitors -----------------------------------------------------------------

# Pages anyone may open: signing in and up, the password and invitation links, the
# calendar feed (its token is the key), the language choice, static files.
PUBLIC = {"auth.index", "auth.login", "auth.signup", "auth.signup_sent", "auth.confirm_signup",
          "auth.forgot_password",
          "auth.reset_password", "auth.accept_invitation", "auth.set_language",
          "calendar.feed", "static", "auth.logout",
          "api-docs.openapi_json", "api_reference.reference"}  # the API's public contract
GLOBAL_ARGS = {"token": "not-a-real-token", "filename": "css/app.css", "tiers_id": 1,
               "contact_id": 1, "exchange_id": 1, "event_id": 1, "task_id": 1}


def _global_url(rule) -> str:
    for arg in rule.arguments:
        assert arg in GLOBAL_ARGS, (
            f"the probe does not know how to fill <{arg}> of {rule.rule} ({rule.endpoint})")
    return build_url(rule, GLOBAL_ARGS)


def test_anonymous_visitors_get_nothing(app, client, tenants):
    other = populate(app, tenants.b)
    before = fingerprint(app)
    for rule, methods in tenant_rules(app):
        url = build_url(rule, url_values(rule, other))
        for method in methods:
            response = client.open(url, method=method,
                                   data={"tiers_id": other.ids["tiers"]}
                                   if method != "GET" else None)
            where = f"anonymous {method} {url} ({rule.endpoint})"
            _no_leak(response, where)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), where
            else:
                assert response.status_code in (401, 404), f"{where}: {response.status_code}"
    # An unknown company answers the same: nothing to learn.
    unknown = client.get("/t/no-such-company/")
    assert unknown.status_code == 302 and unknown.headers["Location"].startswith("/login")
    for rule, methods in global_rules(app):
        url = _global_url(rule)
        for method in methods:
            response = client.open(url, method=method, data={} if method != "GET" else None)
            where = f"anonymous {method} {url} ({rule.endpoint})"
            _no_leak(response, where)
            if rule.endpoint in PUBLIC:
                continue
            assert response.status_code in (302, 401, 404), f"{where}: {response.status_code}"
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login"), where
    assert changed_tables(before, fingerprint(app)) == []


def test_global_pages_show_a_member_nothing_of_another_company(app, client, auth, tenants):
    populate(app, tenants.b)
    auth.login(tenants.a.admin_email)
    for rule, methods in global_rules(app):
        if "GET" in methods:
            url = _global_url(rule)
            _no_leak(client.get(url), f"GET {url}")


# --- The REST API (/api/v1) ------------------------------------------------------------

# Per API blueprint: the body fields that take the id of a row (the others are plain
# values), the query filters that do, and a valid body of its writes.
API_ID_FIELDS = {"api_tiers": {"sales_rep_id": "membership"},
                 "api_contacts": {"tiers_id": "tiers"},
                 # The confidential group is left out: the probing admin is outside the
                 # probed exchange's audience, so the form ignores it (as on the page).
                 "api_exchanges": {"tiers_id": "tiers", "mode_id": "mode",
                                   "object_id": "object", "document_id": "document",
                                   "project_id": "project", "made_by_id": "membership"},
                 # A list field takes a list of ids: [kind].
                 "api_events": {"tiers_id": "tiers", "contact_ids": ["contact"],
                                "assignee_ids": ["membership"]},
                 "api_tasks": {"project_id": "project", "assignee_id": "membership"}}
API_QUERY_IDS = {"api_tiers": {"rep": "membership"}, "api_contacts": {"tiers": "tiers"},
                 "api_exchanges": {"tiers": "tiers", "contact": "contact", "mode": "mode",
                                   "object": "object", "member": "membership"},
                 "api_events": {"tiers": "tiers"},
                 "api_tasks": {"project": "project", "assignee": "membership"}}
API_BODIES = {"api_tiers": {"POST": {"name": "Probe"}, "PATCH": {"name": "Probe"}},
              "api_contacts": {"POST": {"last_name": "Probe"}, "PATCH": {"last_name": "Probe"}},
              "api_exchanges": {"POST": {"occurred_at": "2026-03-10T10:00:00+01:00"},
                                "PATCH": {"comment": "Probe"}},
              "api_events": {"POST": {"title": "Probe", "starts_at": "2030-03-10T10:00"},
                             "PATCH": {"title": "Probe"}},
              "api_tasks": {"POST": {"label": "Probe"}, "PATCH": {"label": "Probe"}}}


def api_rules(app):
    for rule, methods in global_rules(app):
        if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api_") \
                and rule.endpoint != "api_reference.reference":
            yield rule, methods


def test_the_api_answers_another_companys_ids_404_and_its_fields_422(app, client, tenants):
    """A's token on every API route and method: B's ids in the URL are 404, B's ids in
    every id field of a body are a field error; nothing of B shows, nothing changes."""
    own = probing_company(app, tenants.a)
    other = populate(app, tenants.b)
    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    assert client.get("/api/v1/tiers/", headers=bearer(token)).status_code == 200
    before = fingerprint(app)
    rules = list(api_rules(app))
    assert len(rules) >= 6
    for rule, methods in rules:
        resource = rule.endpoint.partition(".")[0]
        bodies = API_BODIES.get(resource, {})
        assert not set(methods) & {"POST", "PATCH", "PUT"} or bodies, f"no body for {rule.rule}"
        for arg in rule.arguments:
            assert arg in ROW_ARGS, f"the probe cannot fill <{arg}> of {rule.rule}"
        url = build_url(rule, {arg: other.ids[ROW_ARGS[arg]] for arg in rule.arguments})
        for method in methods:
            if rule.arguments or method == "GET":  # a POST to a list would create
                response = client.open(url, method=method, json=bodies.get(method),
                                       headers=bearer(token))
                where = f"{method} {url}"
                _no_leak(response, where)
                if rule.arguments:
                    assert response.status_code == 404, f"{where}: {response.status_code}"
            if method in bodies:
                own_url = build_url(rule, {a: own.ids[ROW_ARGS[a]] for a in rule.arguments})
                for name, kind in API_ID_FIELDS[resource].items():
                    value = [other.ids[kind[0]]] if isinstance(kind, list) else \
                        other.ids[kind]
                    body = {**bodies[method], name: value}
                    answer = client.open(own_url, method=method, json=body,
                                         headers=bearer(token))
                    _no_leak(answer, f"{method} {own_url} {name}")
                    assert answer.status_code == 422, f"{method} {own_url} {name}"
                    assert name in answer.json["errors"]
        if "GET" in methods and not rule.arguments:
            for name, kind in API_QUERY_IDS.get(resource, {}).items():
                _no_leak(client.get(url, query_string={name: other.ids[kind]},
                                    headers=bearer(token)), f"GET {url}?{name}")
    assert changed_tables(before, fingerprint(app)) == []


def test_company_bs_token_cannot_be_used_as_company_as(app, client, tenants):
    """A token names its company: B's token with A's id in front is no token at all."""
    probing_company(app, tenants.a)
    token_b = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    forged = f"ct_{tenants.a.id}_" + token_b.split("_", 2)[2]
    for rule, methods in api_rules(app):
        url = build_url(rule, {a: 1 for a in rule.arguments})
        for method in methods:
            response = client.open(url, method=method, headers=bearer(forged))
            assert response.status_code == 401, f"{method} {url}"
