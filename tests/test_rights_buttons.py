"""Rights in the pages: no link, button or form leads a member to an action they may not
take. A crawler opens every page a member may open (the OPEN routes of tests/test_rights.py,
their own exchange, and every link found there), reads its links and forms, and checks
each against the route tables: a link must not answer 403, a form must post to a route
the member's rights allow.
"""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from ct.core.permissions import (
    DELETE_EXCHANGES,
    DELETE_TIERS,
    EXPORT,
    MANAGE_RECORDS,
    PRESETS,
    RIGHTS,
    WRITE_EXCHANGES,
)
from tests.admin_support import log_in, set_rights
from tests.test_rights import (  # noqa: F401 (ids and records are fixtures)
    ADMIN_ONLY,
    ANY_OF,
    GOVERNED,
    OPEN,
    endpoint_of,
    ids,
    records,
)

ADMIN = "admin"
PAGE_LIMIT = 400  # the crawl stops by itself; a company page has far fewer links


class Targets(HTMLParser):
    """The GET links (href, hx-get) and the POST targets (forms, hx-post, formaction)."""

    def __init__(self, base: str):
        super().__init__()
        self.base, self.gets, self.posts = base, set(), set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "hx-get", "data-new-url"):
            if a.get(name):
                self.gets.add(urljoin(self.base, a[name]))
        if a.get("hx-post"):
            self.posts.add(urljoin(self.base, a["hx-post"]))
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.posts.add(urljoin(self.base, a.get("action") or self.base))
        if tag == "form" and (a.get("method") or "get").lower() == "get" and a.get("action"):
            self.gets.add(urljoin(self.base, a["action"]))
        if a.get("formaction"):
            self.posts.add(urljoin(self.base, a["formaction"]))


def requirements(app) -> dict[tuple[str, str], list[frozenset]]:
    """For each endpoint and method, the sets of rights any one of which lets a member use
    it. Rows of one action must all hold (the inline tiers form needs "write exchanges"
    and "manage records"); a bulk route has one set per action."""
    actions: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(set))
    for right, routes in GOVERNED.items():
        for route in routes:
            if route.refused == 403:  # 404 rows hide data, they are no button
                actions[endpoint_of(app, route)][route.data.get("action")].add(right)
    needs = {key: [frozenset(rights) for rights in by_action.values()]
             for key, by_action in actions.items()}
    for group, routes in ANY_OF.items():
        for route in routes:
            if route.refused == 403:
                needs[endpoint_of(app, route)] = [frozenset({r}) for r in group]
    for route in ADMIN_ONLY:
        needs[endpoint_of(app, route)] = [frozenset({ADMIN})]
    for route in OPEN:
        needs.setdefault(endpoint_of(app, route), [frozenset()])
    return needs


def allowed(needs, key, rights: set[str]) -> bool:
    return any(option <= rights for option in needs.get(key, [frozenset({"?"})]))


def crawl(app, client, slug: str, seeds: list[str]):
    """Every page reachable from ``seeds`` inside the company: {url: status} and the POST
    targets found, with the page that shows each."""
    prefix = f"/t/{slug}/"
    statuses, posts, queue, seen = {}, {}, list(seeds), set()
    while queue and len(statuses) < PAGE_LIMIT:
        url = queue.pop(0)
        # One visit per page and set of parameters: the next week, page or sort order
        # offers the same buttons.
        split = urlsplit(url)
        shape = (split.path, frozenset(k for k, _ in parse_qsl(split.query)))
        if shape in seen:
            continue
        seen.add(shape)
        fragment = url.startswith("hx:")
        path = url.removeprefix("hx:")
        response = client.get(path, headers={"HX-Request": "true"} if fragment else {})
        statuses[url] = response.status_code
        body = response.get_data()  # a streamed export must be read to the end
        response.close()
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        body = body.decode()
        found = Targets(path)
        found.feed(body)
        for target in found.posts:
            posts.setdefault(urlsplit(target).path, path)
        for target in found.gets:
            split = urlsplit(target)
            if split.path.startswith(prefix):
                queue.append(split.path + (f"?{split.query}" if split.query else ""))
    return statuses, posts


def seeds(slug: str, ids) -> list[str]:
    pages = [r.url(slug, ids) for r in OPEN if r.method == "GET"]
    return [*pages, f"/t/{slug}/exchanges/{ids['own']}",
            *(f"hx:{page}" for page in pages if "/tiers/" in page or "history" in page)]


def endpoint_for(app, path: str, method: str):
    return app.url_map.bind("localhost").match(path, method=method)[0], method


PROFILES = {
    "no right": [],
    "restricted": PRESETS["restricted"],
    "member": PRESETS["member"],
    "every right": list(RIGHTS),
}


@pytest.mark.parametrize("profile", PROFILES)
def test_no_page_offers_what_the_member_may_not_do(app, client, tenants, ids, profile):
    rights = set(PROFILES[profile])
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, rights)
    log_in(client, tenants.a.member_email)
    statuses, posts = crawl(app, client, tenants.a.slug, seeds(tenants.a.slug, ids))
    assert len(statuses) < PAGE_LIMIT, "the crawl did not end"
    refused = [url for url, status in statuses.items() if status in (403, 500)]
    assert not refused, f"{profile}: links to pages refused to the member: {refused}"
    needs = requirements(app)
    forbidden = [f"{path} (on {page})" for path, page in posts.items()
                 if path.startswith(f"/t/{tenants.a.slug}/")
                 and not allowed(needs, endpoint_for(app, path, "POST"), rights)]
    assert not forbidden, f"{profile}: forms the member may not send: {forbidden}"


def test_the_crawler_sees_the_buttons_of_an_admin(app, client, tenants, ids):
    """The check above can fail: an admin's pages do offer the guarded actions."""
    log_in(client, tenants.a.admin_email)
    statuses, posts = crawl(app, client, tenants.a.slug, seeds(tenants.a.slug, ids))
    reached = {endpoint_for(app, urlsplit(url.removeprefix("hx:")).path, "GET")[0]
               for url in statuses}
    posted = {endpoint_for(app, path, "POST")[0] for path in posts}
    assert {"tiers.edit", "tiers.delete", "contacts.edit", "contacts.confirm_delete",
            "documents.edit", "products.edit", "projects.edit", "exchange_list.export",
            "exchanges.edit", "exchanges.delete", "settings.index", "imports.index",
            "email_templates.index", "email_log.index"} <= reached
    assert {"tiers.close", "exchange_list.bulk", "members.invite", "groups.create",
            "calendar_feed.create"} <= posted


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_tiers_card_hides_what_the_member_may_not_do(app, client, tenants, ids):
    slug = tenants.a.slug
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, PRESETS["restricted"])
    log_in(client, tenants.a.member_email)
    card = html(client, f"/t/{slug}/tiers/{ids['tiers']}")
    for action in ("edit", "close", "delete"):
        assert f"/t/{slug}/tiers/{ids['tiers']}/{action}" not in card
    assert f"/t/{slug}/exchanges/new" in card  # writing exchanges is still allowed
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [*PRESETS["restricted"], MANAGE_RECORDS, DELETE_TIERS])
    card = html(client, f"/t/{slug}/tiers/{ids['tiers']}")
    for action in ("edit", "close", "delete"):
        assert f"/t/{slug}/tiers/{ids['tiers']}/{action}" in card


def test_the_exchange_list_hides_export_and_bulk_delete(app, client, tenants, ids):
    slug = tenants.a.slug
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, PRESETS["restricted"])
    log_in(client, tenants.a.member_email)
    page = html(client, f"/t/{slug}/exchanges/")
    assert "export.csv" not in page
    assert 'value="delete"' not in page
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [*PRESETS["restricted"], EXPORT, DELETE_EXCHANGES])
    page = html(client, f"/t/{slug}/exchanges/")
    assert "export.csv" in page and 'value="delete"' in page


def test_the_exchange_card_hides_edit_and_delete(app, client, tenants, ids):
    slug, own = tenants.a.slug, ids["own"]
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, ["exchanges.read_own"])
    log_in(client, tenants.a.member_email)
    card = html(client, f"/t/{slug}/exchanges/{own}")
    assert f"/exchanges/{own}/edit" not in card and f"/exchanges/{own}/delete" not in card
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               ["exchanges.read_own", WRITE_EXCHANGES, DELETE_EXCHANGES])
    card = html(client, f"/t/{slug}/exchanges/{own}")
    assert f"/exchanges/{own}/edit" in card and f"/exchanges/{own}/delete" in card


def test_the_menu_shows_admin_pages_to_admins_only(app, client, tenants, ids):
    slug = tenants.a.slug
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [])
    log_in(client, tenants.a.member_email)
    menu = html(client, f"/t/{slug}/tiers/")
    for page in ("/settings/", "/email-templates/", "/email-log/", "/import/"):
        assert f"/t/{slug}{page}" not in menu
    admin = log_in(app.test_client(), tenants.a.admin_email)
    menu = html(admin, f"/t/{slug}/tiers/")
    for page in ("/settings/", "/email-templates/", "/email-log/", "/import/"):
        assert f"/t/{slug}{page}" in menu

