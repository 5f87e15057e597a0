"""The projects list (filters, search, pages), its query count, and the autocomplete."""

import re

import pytest

from tests.planning_data import make_project, make_tiers
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def a(tenants):
    return tenants.a


def listed(html: str) -> list[str]:
    """The references shown, in order."""
    return re.findall(r'<tr id="project-\d+">\s*<td><a href="[^"]+">([^<]+)</a>', html)


def test_empty_list_invites_to_create(client, auth, a):
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/").get_data(as_text=True)
    assert "No open project yet." in html and "Create the first project" in html


def test_status_filter(client, auth, app, a):
    make_project(app, a.id, "OPEN-1")
    make_project(app, a.id, "CLOSED-1", status="closed")
    auth.login(a.admin_email)
    base = f"/t/{a.slug}/projects/"
    assert listed(client.get(base).get_data(as_text=True)) == ["OPEN-1"]
    assert listed(client.get(base + "?status=closed").get_data(as_text=True)) == ["CLOSED-1"]
    assert listed(client.get(base + "?status=all").get_data(as_text=True)) == [
        "CLOSED-1", "OPEN-1"]
    assert listed(client.get(base + "?status=nonsense").get_data(as_text=True)) == ["OPEN-1"]


def test_search_on_reference_and_title(client, auth, app, a):
    make_project(app, a.id, "WEB-1", "Site vitrine")
    make_project(app, a.id, "ERP-2", "Migration Website")
    make_project(app, a.id, "X-3", "Other")
    make_project(app, a.id, "100%", "Percent")
    auth.login(a.admin_email)
    base = f"/t/{a.slug}/projects/"
    assert listed(client.get(base + "?q=web").get_data(as_text=True)) == ["ERP-2", "WEB-1"]
    assert listed(client.get(base + "?q=VITRINE").get_data(as_text=True)) == ["WEB-1"]
    # LIKE wildcards are searched for literally.
    assert listed(client.get(base + "?q=%25").get_data(as_text=True)) == ["100%"]
    assert listed(client.get(base + "?q=_").get_data(as_text=True)) == []
    html = client.get(base + "?q=zzz").get_data(as_text=True)
    assert "No project matches these filters." in html


def test_sort_by_title(client, auth, app, a):
    make_project(app, a.id, "A", "Zebra")
    make_project(app, a.id, "B", "Alpaca")
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/?sort=title").get_data(as_text=True)
    assert listed(html) == ["B", "A"]


def test_tiers_filter_and_other_tenant(client, auth, app, tenants):
    tiers = make_tiers(app, tenants.a.id, "Dupont")
    make_project(app, tenants.a.id, "WITH", tiers_id=tiers)
    make_project(app, tenants.a.id, "WITHOUT")
    make_project(app, tenants.b.id, "B-ONLY")
    auth.login(tenants.a.admin_email)
    base = f"/t/{tenants.a.slug}/projects/"
    html = client.get(base + f"?tiers={tiers}").get_data(as_text=True)
    assert listed(html) == ["WITH"] and "Projects of Dupont" in html
    assert "B-ONLY" not in client.get(base + "?status=all").get_data(as_text=True)


def test_keyset_pages(client, auth, app, a):
    for i in range(30):
        make_project(app, a.id, f"P-{i:03d}")
    auth.login(a.admin_email)
    first = client.get(f"/t/{a.slug}/projects/").get_data(as_text=True)
    assert listed(first) == [f"P-{i:03d}" for i in range(25)]
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert listed(second) == [f"P-{i:03d}" for i in range(25, 30)]
    assert 'rel="next"' not in second and "First page" in second


def test_tampered_cursor_gives_the_first_page(client, auth, app, a):
    make_project(app, a.id, "P-1")
    auth.login(a.admin_email)
    # Garbage, wrong length, a number where text goes, a boolean.
    for cursor in ("garbage", "W10", "WyJ4Il0", "eyJhIjoxfQ", "WzEsIngiXQ", "W3RydWUsMV0"):
        response = client.get(f"/t/{a.slug}/projects/?cursor={cursor}")
        assert response.status_code == 200
        assert listed(response.get_data(as_text=True)) == ["P-1"]
    # A NUL is refused before any page runs (ct/web/security.py).
    assert client.get(f"/t/{a.slug}/projects/?cursor=%00").status_code == 400


def test_htmx_list_returns_the_results_only(htmx, app, a):
    make_project(app, a.id, "P-1")
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    html = htmx.get(f"/t/{a.slug}/projects/?q=p").get_data(as_text=True)
    assert html.lstrip().startswith('<div id="projects-results">')
    assert "<html" not in html and listed(html) == ["P-1"]


def test_list_runs_a_bounded_number_of_queries(client, auth, app, a):
    auth.login(a.admin_email)

    def queries_for(n: int) -> int:
        for i in range(n):
            tiers = make_tiers(app, a.id, f"Tiers {n}-{i}")
            make_project(app, a.id, f"Q{n}-{i:03d}", tiers_id=tiers)
        with counting_queries(app) as statements:
            html = client.get(f"/t/{a.slug}/projects/?q=q{n}").get_data(as_text=True)
        assert len(listed(html)) == min(n, 25)
        return len(statements)

    client.get(f"/t/{a.slug}/projects/")  # the company's settings: kept from now on
    assert queries_for(5) == queries_for(60)


# -- autocomplete of open projects (the exchange form) --------------------------------

def options(response) -> list[tuple[str, str]]:
    html = response.get_data(as_text=True)
    return re.findall(r'data-id="(\d+)" data-label="([^"]*)"', html)


def test_autocomplete_open_projects(client, auth, app, tenants):
    tiers = make_tiers(app, tenants.a.id, "Dupont")
    web = make_project(app, tenants.a.id, "WEB-1", "Site", tiers_id=tiers)
    make_project(app, tenants.a.id, "OLD-WEB", "Closed one", status="closed")
    other = make_project(app, tenants.a.id, "ERP-1", "New website")
    make_project(app, tenants.b.id, "WEB-B", "Other company")
    auth.login(tenants.a.admin_email)
    response = client.get(f"/t/{tenants.a.slug}/search/projects?q=web")
    assert options(response) == [(str(web), "WEB-1 — Site"), (str(other), "ERP-1 — New website")]
    assert "Dupont" in response.get_data(as_text=True)
    only_tiers = client.get(f"/t/{tenants.a.slug}/search/projects?q=&tiers={tiers}")
    assert options(only_tiers) == [(str(web), "WEB-1 — Site")]
    assert options(client.get(f"/t/{tenants.a.slug}/search/projects?tiers=abc")) == []


def test_autocomplete_returns_twenty_at_most(client, auth, app, a):
    for i in range(25):
        make_project(app, a.id, f"R-{i:02d}")
    auth.login(a.admin_email)
    found = options(client.get(f"/t/{a.slug}/search/projects?q=r-"))
    assert len(found) == 20 and found[0][1].startswith("R-00")


def test_autocomplete_escapes_html(client, auth, app, a):
    make_project(app, a.id, "<img src=x>", "t")
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/search/projects?q=img").get_data(as_text=True)
    assert "<img src=x>" not in html and "&lt;img src=x&gt;" in html


def test_tiers_options_narrow_the_select(client, auth, app, tenants):
    dupont = make_tiers(app, tenants.a.id, "Dupont")
    make_tiers(app, tenants.a.id, "Martin")
    make_tiers(app, tenants.b.id, "Dupuis")
    auth.login(tenants.a.admin_email)
    html = client.get(f"/t/{tenants.a.slug}/projects/tiers-options?tiers_q=dup"
                      ).get_data(as_text=True)
    assert "Dupont" in html and "Martin" not in html and "Dupuis" not in html
    kept = client.get(f"/t/{tenants.a.slug}/projects/tiers-options?tiers_q=mar&tiers={dupont}"
                      ).get_data(as_text=True)
    assert f'value="{dupont}" selected' in kept and "Martin" in kept
